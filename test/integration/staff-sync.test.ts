import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessOf } from '../../functions/domain/access';
import { storeCsvColumns } from '../../functions/schemas/store';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { csvFile, runCli } from '../support/local-stack';
import { sentEmails } from '../support/ses-store';
import { startStaffDirectoryServer } from '../support/staff-directory-server';

/**
 * `closeloop staff` as a user runs it, against the local provider's Cognito API on a server of its
 * own and stores in tables of their own (so a sync sees only this file's stores).
 */
let stack: IsolatedStack;
let directory: Awaited<ReturnType<typeof startStaffDirectoryServer>>;
let stateFile: string;
let domain: string;

const at = (name: string) => `${name}@${domain}`;
const cli = (...args: string[]) => runCli(args, { stateFile });
const cliJson = async (...args: string[]) => {
  const run = await cli(...args, '--json');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as { changes: { kind: string; description: string }[]; skipped: string[] };
};

const importStores = async (...rows: string[][]) => {
  const run = await cli('import-stores', csvFile('stores.csv', [[...storeCsvColumns], ...rows]), '--json');
  expect(run.code).toBe(0);
};

const subOf = (name: string) => directory.accounts.findByEmail(at(name))?.sub ?? `no account for ${name}`;
const storesSeenBy = async (name: string) => {
  const access = accessOf({ sub: subOf(name), groups: [] }, await stack.stores.listAll());
  return access.kind === 'stores' ? [...access.storeIds].sort() : 'all';
};

beforeAll(async () => {
  stack = await startIsolatedStack('staff');
  directory = await startStaffDirectoryServer();
  domain = `${stack.namespace}.example.com`;
  stateFile = stack.writeCliState({ issuerUrl: directory.endpoint });
});

afterAll(async () => {
  await directory?.close();
  await stack?.stop();
});

describe('closeloop staff', () => {
  it('follows the stores registry: invites, binds, replaces, disables and re-enables', async () => {
    await importStores(
      ['A', 'Lyon', at('ann'), at('rex'), 'Europe/Paris'],
      ['B', 'Nice', at('bob'), at('rex'), 'Europe/Paris'],
    );
    const marketer = await cli(
      'staff',
      'add',
      '--email',
      at('mia'),
      '--role',
      'marketing',
      '--password',
      'Pass-word-1',
    );
    expect(marketer).toMatchObject({
      code: 0,
      stdout: `${at('mia')}: created, password set, added to marketing.\n`,
    });
    expect(directory.accounts.authenticate(at('mia'), 'Pass-word-1')?.groups).toEqual(['marketing']);

    // A dry run says what would change and changes nothing.
    const dryRun = await cli('staff', 'sync', '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toBe(
      [
        'Dry run: 7 changes would be made (run without --dry-run to make them):',
        `  create an account for ${at('ann')} (invited by e-mail, in managers)`,
        `  create an account for ${at('bob')} (invited by e-mail, in managers)`,
        `  create an account for ${at('rex')} (invited by e-mail, in managers)`,
        `  bind A's manager to the account of ${at('ann')} (new)`,
        `  bind A's regional manager to the account of ${at('rex')} (new)`,
        `  bind B's manager to the account of ${at('bob')} (new)`,
        `  bind B's regional manager to the account of ${at('rex')} (new)`,
        '',
      ].join('\n'),
    );
    expect(directory.accounts.list().map((account) => account.email)).toEqual([at('mia')]);
    expect((await stack.stores.get('A'))?.managerAccount).toBeUndefined();

    // The sync invites the managers by e-mail and binds their stores.
    expect((await cliJson('staff', 'sync')).changes).toHaveLength(7);
    const [invitation] = await sentEmails((to) => to === at('ann'));
    expect(invitation?.body.text).toMatch(/Temporary password: \S+/);
    expect(directory.accounts.findByEmail(at('ann'))).toMatchObject({
      emailVerified: true,
      enabled: true,
      groups: ['managers'],
    });
    expect(await storesSeenBy('ann')).toEqual(['A']);
    expect(await storesSeenBy('rex')).toEqual(['A', 'B']);

    // A second run has nothing to do, and says so.
    expect(await cli('staff', 'sync')).toEqual({
      code: 0,
      stdout: 'Staff accounts already follow the stores registry: nothing to change.\n',
      stderr: '',
    });

    // Ann is replaced by Cy: she loses the store the moment the import runs; the sync disables her.
    await importStores(['A', 'Lyon', at('cy'), at('rex'), 'Europe/Paris']);
    expect((await stack.stores.get('A'))?.managerAccount).toBeUndefined();
    expect(await storesSeenBy('ann')).toEqual([]);
    expect((await cliJson('staff', 'sync')).changes.map((change) => change.description)).toEqual([
      `create an account for ${at('cy')} (invited by e-mail, in managers)`,
      `bind A's manager to the account of ${at('cy')} (new)`,
      `disable the account of ${at('ann')} (manages no store any more)`,
    ]);
    expect(directory.accounts.findByEmail(at('ann'))?.enabled).toBe(false);
    expect(await storesSeenBy('cy')).toEqual(['A']);
    expect(directory.accounts.findByEmail(at('mia'))).toMatchObject({ enabled: true, groups: ['marketing'] });

    // Ann comes back, to store B: her account is enabled again and bound; Bob's is disabled.
    await importStores(['B', 'Nice', at('ann'), at('rex'), 'Europe/Paris']);
    expect((await cliJson('staff', 'sync')).changes.map((change) => change.description)).toEqual([
      `enable the account of ${at('ann')} (a store names them again)`,
      `bind B's manager to the account of ${at('ann')}`,
      `disable the account of ${at('bob')} (manages no store any more)`,
    ]);
    expect(await storesSeenBy('ann')).toEqual(['B']);
    expect((await cliJson('staff', 'sync')).changes).toEqual([]);

    const list = await cli('staff', 'list');
    expect(list.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        `${at('ann')}  managers  enabled (invited)  stores: B`,
        `${at('bob')}  managers  disabled (invited)`,
        `${at('mia')}  marketing  enabled`,
        `${at('rex')}  managers  enabled (invited)  stores: A (regional), B (regional)`,
      ]),
    );
  });
});
