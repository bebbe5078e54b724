import { describe, expect, it } from 'vitest';
import type { StaffAccountListing } from '../../../functions/adapters/staff-directory';
import type { AccountBinding, StoreRecord } from '../../../functions/schemas/store';
import { addStaff, listStaff, syncStaff } from '../../../functions/use-cases/sync-staff';
import { aStore } from '../../support/in-memory-stores';

/** A directory and a stores table in memory, logging every change. */
const world = (stores: StoreRecord[], accounts: StaffAccountListing[] = []) => {
  const changes: string[] = [];
  const byId = new Map(stores.map((store) => [store.storeId, structuredClone(store)]));
  const key = (role: 'manager' | 'regionalManager') =>
    role === 'manager' ? 'managerAccount' : 'regionalManagerAccount';
  const address = (role: 'manager' | 'regionalManager') =>
    role === 'manager' ? 'managerEmail' : 'regionalManagerEmail';
  const account = (username: string) => {
    const found = accounts.find((one) => one.username === username);
    if (found === undefined) throw new Error(`no account ${username}`);
    return found;
  };
  const replace = (username: string, change: Partial<StaffAccountListing>) => {
    const index = accounts.findIndex((one) => one.username === username);
    accounts[index] = { ...account(username), ...change };
  };
  let created = 0;
  const deps = {
    directory: {
      listAccounts: async () => structuredClone(accounts),
      findByEmail: async (email: string) => accounts.find((one) => one.email === email),
      createAccount: async (email: string, { invite }: { invite: boolean }) => {
        const sub = `new-${++created}`;
        accounts.push({
          username: sub,
          sub,
          email,
          enabled: true,
          status: 'FORCE_CHANGE_PASSWORD',
          groups: [],
        });
        changes.push(`create ${email}${invite ? ' (invited)' : ''}`);
        return account(sub);
      },
      addToGroup: async (username: string, group: string) => {
        replace(username, { groups: [...account(username).groups, group] });
        changes.push(`group ${account(username).email} ${group}`);
      },
      enable: async (username: string) => {
        replace(username, { enabled: true });
        changes.push(`enable ${account(username).email}`);
      },
      disable: async (username: string) => {
        replace(username, { enabled: false });
        changes.push(`disable ${account(username).email}`);
      },
      setPassword: async (username: string) => {
        changes.push(`password ${account(username).email}`);
      },
    },
    stores: {
      listAll: async () => [...byId.values()].map((store) => structuredClone(store)),
      bindAccount: async (storeId: string, role: 'manager' | 'regionalManager', binding: AccountBinding) => {
        const store = byId.get(storeId);
        if (store?.[address(role)] !== binding.email) return false;
        byId.set(storeId, { ...store, [key(role)]: binding });
        changes.push(`bind ${storeId} ${role} ${binding.sub}`);
        return true;
      },
      unbindAccount: async (storeId: string, role: 'manager' | 'regionalManager') => {
        const { [key(role)]: _, ...rest } = byId.get(storeId) as StoreRecord;
        byId.set(storeId, rest as StoreRecord);
        changes.push(`unbind ${storeId} ${role}`);
        return true;
      },
    },
  };
  return { deps, changes, stores: byId, accounts };
};

const store = (storeId: string, managerEmail?: string, regionalManagerEmail?: string) =>
  aStore({ storeId, managerEmail, regionalManagerEmail });

describe('syncStaff', () => {
  it('invites the managers, binds their stores, and a second run changes nothing', async () => {
    const { deps, changes, stores } = world([
      store('S1', 'm1@x.co', 'r@x.co'),
      store('S2', 'm2@x.co', 'r@x.co'),
    ]);

    const first = await syncStaff(deps, { dryRun: false });

    expect(first.changes.map((change) => change.kind)).toEqual([
      'create',
      'create',
      'create',
      'bind',
      'bind',
      'bind',
      'bind',
    ]);
    expect(changes.slice(0, 2)).toEqual(['create m1@x.co (invited)', 'group m1@x.co managers']);
    expect(stores.get('S2')).toMatchObject({
      managerAccount: { sub: 'new-2', email: 'm2@x.co' },
      regionalManagerAccount: { sub: 'new-3', email: 'r@x.co' },
    });
    changes.length = 0;
    expect(await syncStaff(deps, { dryRun: false })).toEqual({ dryRun: false, changes: [], skipped: [] });
    expect(changes).toEqual([]);
  });

  it('describes the plan on a dry run and changes nothing', async () => {
    const { deps, changes, stores } = world([store('S1', 'm1@x.co')]);

    const plan = await syncStaff(deps, { dryRun: true });

    expect(plan.changes.map((change) => change.description)).toEqual([
      'create an account for m1@x.co (invited by e-mail, in managers)',
      "bind S1's manager to the account of m1@x.co (new)",
    ]);
    expect(changes).toEqual([]);
    expect(stores.get('S1')?.managerAccount).toBeUndefined();
  });

  it('reports a binding skipped because the store changed meanwhile', async () => {
    const { deps } = world([store('S1', 'm1@x.co')]);
    deps.stores.bindAccount = async () => false;
    const result = await syncStaff(deps, { dryRun: false });
    expect(result.skipped).toEqual([
      "bind S1's manager to the account of m1@x.co (new): the store's address changed meanwhile; run again",
    ]);
  });
});

describe('addStaff', () => {
  it('invites a marketer into the group, then has nothing to do', async () => {
    const { deps, changes } = world([]);
    expect(await addStaff(deps, { email: ' Mia@X.co', role: 'marketing' })).toEqual({
      email: 'mia@x.co',
      sub: 'new-1',
      role: 'marketing',
      changes: ['created and invited by e-mail', 'added to marketing'],
    });
    expect(changes).toEqual(['create mia@x.co (invited)', 'group mia@x.co marketing']);
    expect((await addStaff(deps, { email: 'mia@x.co', role: 'marketing' })).changes).toEqual([]);
  });

  it('sets a password instead of inviting, and enables a disabled account', async () => {
    const { deps, changes } = world(
      [],
      [{ username: 'u1', sub: 'u1', email: 'root@x.co', enabled: false, status: 'CONFIRMED', groups: [] }],
    );
    await addStaff(deps, { email: 'new@x.co', role: 'admin', password: 'Correct-Horse-9' });
    await addStaff(deps, { email: 'root@x.co', role: 'admin' });
    expect(changes).toEqual([
      'create new@x.co',
      'password new@x.co',
      'group new@x.co admin',
      'enable root@x.co',
      'group root@x.co admin',
    ]);
  });
});

describe('listStaff', () => {
  it('shows each account with the store roles bound to it', async () => {
    const { deps } = world(
      [
        { ...store('S1', 'm@x.co', 'r@x.co'), managerAccount: { sub: 'a', email: 'm@x.co' } },
        { ...store('S2', 'o@x.co', 'r@x.co'), regionalManagerAccount: { sub: 'a', email: 'r@x.co' } },
      ],
      [
        {
          username: 'a',
          sub: 'a',
          email: 'm@x.co',
          enabled: true,
          status: 'CONFIRMED',
          groups: ['managers'],
        },
      ],
    );
    expect(await listStaff(deps)).toEqual([
      {
        email: 'm@x.co',
        sub: 'a',
        enabled: true,
        status: 'CONFIRMED',
        groups: ['managers'],
        stores: [
          { storeId: 'S1', role: 'manager' },
          { storeId: 'S2', role: 'regionalManager' },
        ],
      },
    ]);
  });
});
