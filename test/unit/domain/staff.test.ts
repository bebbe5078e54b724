import { describe, expect, it } from 'vitest';
import {
  type DirectoryAccount,
  describeStaffChange,
  planStaffSync,
  type StoreStaffing,
} from '../../../functions/domain/staff';

const account = (email: string, overrides: Partial<DirectoryAccount> = {}): DirectoryAccount => ({
  username: `sub-${email}`,
  sub: `sub-${email}`,
  email,
  enabled: true,
  groups: ['managers'],
  ...overrides,
});

const bound = (email: string) => ({ sub: `sub-${email}`, email });

/** A store whose roles are bound to the accounts of their addresses, as a sync leaves it. */
const synced = (storeId: string, managerEmail?: string, regionalManagerEmail?: string): StoreStaffing => ({
  storeId,
  ...(managerEmail !== undefined && { managerEmail, managerAccount: bound(managerEmail) }),
  ...(regionalManagerEmail !== undefined && {
    regionalManagerEmail,
    regionalManagerAccount: bound(regionalManagerEmail),
  }),
});

describe('planStaffSync', () => {
  it('changes nothing when every role is bound to an enabled manager account', () => {
    expect(
      planStaffSync(
        [synced('S1', 'm1@x.co', 'r@x.co'), synced('S2', 'm2@x.co', 'r@x.co')],
        [account('m1@x.co'), account('m2@x.co'), account('r@x.co')],
      ),
    ).toEqual([]);
  });

  it('creates and binds the account of a new manager', () => {
    expect(planStaffSync([{ storeId: 'S1', managerEmail: 'new@x.co' }], [])).toEqual([
      { kind: 'create', email: 'new@x.co' },
      { kind: 'bind', storeId: 'S1', role: 'manager', email: 'new@x.co', address: 'new@x.co' },
    ]);
  });

  it('binds the new manager of a store whose manager was replaced, and disables the old one', () => {
    // The import changed the address and cleared the old binding.
    const store = { storeId: 'S1', managerEmail: 'new@x.co' };
    expect(planStaffSync([store], [account('old@x.co')])).toEqual([
      { kind: 'create', email: 'new@x.co' },
      { kind: 'bind', storeId: 'S1', role: 'manager', email: 'new@x.co', address: 'new@x.co' },
      { kind: 'disable', email: 'old@x.co', username: 'sub-old@x.co' },
    ]);
  });

  it('rebinds a role whose binding was made for an earlier address', () => {
    const store = { storeId: 'S1', managerEmail: 'new@x.co', managerAccount: bound('old@x.co') };
    expect(planStaffSync([store], [account('old@x.co'), account('new@x.co')])).toEqual([
      {
        kind: 'bind',
        storeId: 'S1',
        role: 'manager',
        email: 'new@x.co',
        address: 'new@x.co',
        sub: 'sub-new@x.co',
      },
      { kind: 'disable', email: 'old@x.co', username: 'sub-old@x.co' },
    ]);
  });

  it('gives a manager of two stores one account bound to both', () => {
    expect(
      planStaffSync(
        [
          { storeId: 'S1', managerEmail: 'm@x.co' },
          { storeId: 'S2', managerEmail: 'm@x.co' },
        ],
        [],
      ),
    ).toEqual([
      { kind: 'create', email: 'm@x.co' },
      { kind: 'bind', storeId: 'S1', role: 'manager', email: 'm@x.co', address: 'm@x.co' },
      { kind: 'bind', storeId: 'S2', role: 'manager', email: 'm@x.co', address: 'm@x.co' },
    ]);
  });

  it('gives a regional manager who also manages a store one account for both roles', () => {
    const plan = planStaffSync(
      [
        { storeId: 'S1', managerEmail: 'r@x.co', regionalManagerEmail: 'r@x.co' },
        synced('S2', 'm2@x.co'),
        { ...synced('S2', 'm2@x.co'), storeId: 'S3', regionalManagerEmail: 'r@x.co' },
      ],
      [account('m2@x.co'), account('r@x.co', { groups: [] })],
    );
    expect(plan).toEqual([
      { kind: 'add-to-group', email: 'r@x.co', username: 'sub-r@x.co', group: 'managers' },
      { kind: 'bind', storeId: 'S1', role: 'manager', email: 'r@x.co', address: 'r@x.co', sub: 'sub-r@x.co' },
      {
        kind: 'bind',
        storeId: 'S1',
        role: 'regionalManager',
        email: 'r@x.co',
        address: 'r@x.co',
        sub: 'sub-r@x.co',
      },
      {
        kind: 'bind',
        storeId: 'S3',
        role: 'regionalManager',
        email: 'r@x.co',
        address: 'r@x.co',
        sub: 'sub-r@x.co',
      },
    ]);
  });

  it('never disables marketing or admin members, even in the managers group', () => {
    expect(
      planStaffSync(
        [synced('S1', 'm1@x.co')],
        [
          account('m1@x.co'),
          account('mia@x.co', { groups: ['marketing'] }),
          account('root@x.co', { groups: ['managers', 'admin'] }),
          account('max@x.co', { groups: ['marketing', 'managers'] }),
        ],
      ),
    ).toEqual([]);
  });

  it('binds a marketing member who manages a store, and puts them in the managers group', () => {
    expect(
      planStaffSync(
        [{ storeId: 'S1', managerEmail: 'mia@x.co' }],
        [account('mia@x.co', { groups: ['marketing'] })],
      ),
    ).toEqual([
      { kind: 'add-to-group', email: 'mia@x.co', username: 'sub-mia@x.co', group: 'managers' },
      {
        kind: 'bind',
        storeId: 'S1',
        role: 'manager',
        email: 'mia@x.co',
        address: 'mia@x.co',
        sub: 'sub-mia@x.co',
      },
    ]);
  });

  it('matches addresses whatever their case, binding the store’s own spelling', () => {
    const plan = planStaffSync([{ storeId: 'S1', managerEmail: ' Ann@X.co' }], [account('ann@x.co')]);
    expect(plan).toEqual([
      {
        kind: 'bind',
        storeId: 'S1',
        role: 'manager',
        email: 'ann@x.co',
        address: ' Ann@X.co',
        sub: 'sub-ann@x.co',
      },
    ]);
    expect(planStaffSync([synced('S1', 'ann@x.co')], [account('Ann@X.co', { sub: 'sub-ann@x.co' })])).toEqual(
      [],
    );
  });

  it('re-enables a manager who comes back, and leaves a disabled ex-manager alone', () => {
    expect(
      planStaffSync(
        [synced('S1', 'back@x.co')],
        [account('back@x.co', { enabled: false }), account('gone@x.co', { enabled: false })],
      ),
    ).toEqual([{ kind: 'enable', email: 'back@x.co', username: 'sub-back@x.co' }]);
  });

  it('removes a binding left on a role that has no address any more', () => {
    const store = {
      storeId: 'S1',
      managerEmail: 'm1@x.co',
      managerAccount: bound('m1@x.co'),
      regionalManagerAccount: bound('r@x.co'),
    };
    expect(planStaffSync([store], [account('m1@x.co')])).toEqual([
      { kind: 'unbind', storeId: 'S1', role: 'regionalManager', binding: bound('r@x.co') },
    ]);
  });

  it('prefers the enabled account when two hold the same address', () => {
    const plan = planStaffSync(
      [{ storeId: 'S1', managerEmail: 'm@x.co' }],
      [
        account('m@x.co', { sub: 'old', username: 'old', enabled: false }),
        account('m@x.co', { sub: 'new', username: 'new' }),
      ],
    );
    expect(plan).toEqual([
      { kind: 'bind', storeId: 'S1', role: 'manager', email: 'm@x.co', address: 'm@x.co', sub: 'new' },
    ]);
  });
});

describe('describeStaffChange', () => {
  it('says each change in a line', () => {
    expect(describeStaffChange({ kind: 'create', email: 'm@x.co' })).toBe(
      'create an account for m@x.co (invited by e-mail, in managers)',
    );
    expect(
      describeStaffChange({
        kind: 'bind',
        storeId: 'S1',
        role: 'regionalManager',
        email: 'r@x.co',
        address: 'r@x.co',
      }),
    ).toBe("bind S1's regional manager to the account of r@x.co (new)");
    expect(describeStaffChange({ kind: 'disable', email: 'o@x.co', username: 'u' })).toBe(
      'disable the account of o@x.co (manages no store any more)',
    );
  });
});
