import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, usageLine } from '../../../cli/program';
import type { Terminal } from '../../../cli/terminal';
import { stackOutputVariables } from '../../../functions/resources/stack-outputs';

const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** Runs `closeloop ARGS` in process, capturing what it writes. */
const run = async (...args: string[]) => {
  const out = { stdout: '', stderr: '' };
  const terminal: Terminal = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  };
  const code = await runCli(['node', 'closeloop', ...args], terminal);
  return { code, ...out };
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('closeloop --version', () => {
  it.each(['--version', '-V'])('%s prints the package.json version and exits 0', async (flag) => {
    expect(await run(flag)).toEqual({ code: 0, stdout: `${packageVersion}\n`, stderr: '' });
  });
});

describe('usage errors: one line, exit 2', () => {
  it('names an unknown command and suggests the closest one', async () => {
    expect(await run('imprt-stores', 'stores.csv')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "closeloop: unknown command 'imprt-stores' (did you mean import-stores?) — see closeloop --help\n",
    });
  });

  it('names an unknown option and points to the help of its command', async () => {
    expect(await run('import-stores', 'stores.csv', '--rejcts', 'r.csv')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "closeloop: unknown option '--rejcts' (did you mean --rejects?) — see closeloop import-stores --help\n",
    });
  });

  it('does the same for a subcommand of a subcommand', async () => {
    const result = await run('customer', 'exprt', 'C1');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "closeloop: unknown command 'exprt' (did you mean export?) — see closeloop customer --help\n",
    );
  });

  it.each([
    [
      ['export'],
      /^closeloop: required option '--segment <segment>' not specified — see closeloop export --help\n$/,
    ],
    [
      ['report', '--by', 'year'],
      /^closeloop: option '--by <period>' argument 'year' is invalid\. Allowed choices are day, week, month — see closeloop report --help\n$/,
    ],
    [['tick', 'extra'], /^closeloop: too many arguments for 'tick'\. .* — see closeloop tick --help\n$/],
    [['--frob'], /^closeloop: unknown option '--frob' — see closeloop --help\n$/],
  ])('closeloop %j', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  it('says how to pass a value that starts with a dash, such as an id', async () => {
    expect(await run('export-status', '-SZyq9l4Dc3AF-Lb')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "closeloop: unknown option '-SZyq9l4Dc3AF-Lb' (a value that starts with -, put after --: " +
        'closeloop export-status -- -SZyq9l4Dc3AF-Lb) — see closeloop export-status --help\n',
    });
    vi.stubEnv('CLOSELOOP_STATE_FILE', '/nonexistent/closeloop-state.json');
    const passed = await run('export-status', '--', '-SZyq9l4Dc3AF-Lb');
    expect(passed.stderr).toMatch(/^closeloop: no local stack found/);
  });

  it('gives no such hint to a command that takes no value', async () => {
    expect((await run('tick', '-x')).stderr).toBe(
      "closeloop: unknown option '-x' — see closeloop tick --help\n",
    );
  });

  it('keeps several suggestions on the one line', () => {
    expect(
      usageLine('closeloop customer', "error: unknown command 'e'\n(Did you mean one of export, erase?)\n"),
    ).toBe(
      "closeloop: unknown command 'e' (did you mean one of export, erase?) — see closeloop customer --help\n",
    );
  });

  it('rejects an invalid --now before looking for a stack', async () => {
    const result = await run('tick', '--now', 'yesterday', '--json');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'closeloop: --now must be an ISO 8601 date-time such as 2027-06-01T09:00:00Z, got "yesterday"\n',
    });
  });

  it('refuses export --json without --out, whose rows are the output', async () => {
    const result = await run('export', '--segment', 'promoters', '--json');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^closeloop: --json describes the file written with --out;/);
  });

  it('says in one line that there is no local stack', async () => {
    vi.stubEnv('CLOSELOOP_STATE_FILE', join('/nonexistent', 'local.json'));
    const result = await run('followups', '--json');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^closeloop: no local stack found .*\n$/);
  });
});

describe('closeloop staff: usage errors', () => {
  /** AWS with every name given by hand, so the stack is not read. */
  const stubAws = () => {
    vi.stubEnv('CLOSELOOP_TARGET', 'aws');
    for (const { envVar } of stackOutputVariables) vi.stubEnv(envVar, `given-${envVar}`);
  };

  it('keeps --password to the local stack', async () => {
    stubAws();
    expect(
      await run('staff', 'add', '--email', 'mia@x.co', '--role', 'marketing', '--password', 'P4ssword!'),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr: 'closeloop: --password is for the local stack only: in AWS, staff are invited by e-mail\n',
    });
  });

  it('names the missing user pool in AWS', async () => {
    stubAws();
    vi.stubEnv('MANAGER_USER_POOL_ID', '');
    const result = await run('staff', 'sync', '--dry-run');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^closeloop: MANAGER_USER_POOL_ID is not set/);
  });

  it('refuses a role that sees no store list and an address that is none', async () => {
    const role = await run('staff', 'add', '--email', 'mia@x.co', '--role', 'manager');
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("'manager' is invalid. Allowed choices are admin, marketing");
    stubAws();
    const email = await run('staff', 'add', '--email', 'mia', '--role', 'admin');
    expect(email).toMatchObject({ code: 2, stderr: 'closeloop: --email: mia is not an e-mail address\n' });
  });
});

describe('help', () => {
  it('--help prints the manual on stdout and exits 0', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: closeloop \[options\] \[command\]/);
    expect(result.stdout).toContain('-V, --version');
  });

  it('every command that prints results offers --json', async () => {
    for (const command of [
      ['import-customers'],
      ['import-stores'],
      ['tick'],
      ['followups'],
      ['report'],
      ['export'],
      ['testimonials'],
      ['customer', 'export'],
      ['customer', 'erase'],
      ['staff', 'token'],
      ['webhooks', 'add'],
      ['webhooks', 'list'],
      ['webhooks', 'rotate'],
      ['webhooks', 'log'],
    ]) {
      const result = await run(...command, '--help');
      expect(result.stdout, command.join(' ')).toMatch(/--json/);
    }
  });
});

describe('cli/bin.mjs', () => {
  it('runs the CLI as a process: a typo is one line on stderr and exit code 2', () => {
    const result = spawnSync(process.execPath, ['cli/bin.mjs', 'imprt-stores'], { encoding: 'utf8' });
    expect(result.stderr).toBe(
      "closeloop: unknown command 'imprt-stores' (did you mean import-stores?) — see closeloop --help\n",
    );
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  }, 30_000);

  /** Makes this Node report itself as 20 before the entry point runs, as a machine's own Node would. */
  const asNode20 =
    'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.20.2"});' +
    'Object.defineProperty(process,"version",{value:"v20.20.2"});';

  it.each(['cli/bin.mjs', 'local/bin.mjs'])(
    '%s says in one line that it needs Node 24, and exits 1, on an older Node',
    (bin) => {
      const result = spawnSync(process.execPath, ['--import', asNode20, bin, '--help'], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^closeloop needs Node\.js 24 \(the Lambda runtime\), not v\d+\.\d+\.\d+; run it through npm — `npm start`, `npx closeloop` — which uses the project's own Node 24 from node_modules\n$/,
      );
    },
  );
});
