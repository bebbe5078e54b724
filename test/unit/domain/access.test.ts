import { describe, expect, it } from 'vitest';
import {
  accessOf,
  boundAccountOf,
  canSeeStore,
  groupsOf,
  storesManagedBy,
} from '../../../functions/domain/access';

const bound = (email: string, sub = `sub-${email}`) => ({ sub, email });

const stores = [
  {
    storeId: 'S1',
    managerEmail: 'm1@x.co',
    regionalManagerEmail: 'r@x.co',
    managerAccount: bound('m1@x.co'),
    regionalManagerAccount: bound('r@x.co'),
  },
  {
    storeId: 'S2',
    managerEmail: 'm2@x.co',
    regionalManagerEmail: 'r@x.co',
    managerAccount: bound('m2@x.co'),
    regionalManagerAccount: bound('r@x.co'),
  },
  // Imported, not yet synced: nobody is bound.
  { storeId: 'S3', managerEmail: 'm3@x.co' },
];

describe('storesManagedBy', () => {
  it('gives an account the stores whose manager or regional manager role is bound to it', () => {
    expect([...storesManagedBy('sub-m1@x.co', stores)]).toEqual(['S1']);
    expect([...storesManagedBy('sub-r@x.co', stores)]).toEqual(['S1', 'S2']);
    expect([...storesManagedBy('sub-m3@x.co', stores)]).toEqual([]);
  });

  it('never matches an e-mail address, whatever the token says', () => {
    expect([...storesManagedBy('m1@x.co', stores)]).toEqual([]);
    expect([...storesManagedBy('M2@X.CO', stores)]).toEqual([]);
  });

  it('ignores a binding made for an address the store no longer has', () => {
    const replaced = { ...stores[0], storeId: 'S1', managerEmail: 'new@x.co' };
    expect([...storesManagedBy('sub-m1@x.co', [replaced])]).toEqual([]);
    expect(boundAccountOf('new@x.co', bound('m1@x.co'))).toBeUndefined();
    expect(boundAccountOf(undefined, bound('m1@x.co'))).toBeUndefined();
    expect(boundAccountOf('m1@x.co', bound('m1@x.co'))).toBe('sub-m1@x.co');
  });
});

describe('accessOf', () => {
  it('gives marketing and admins every store', () => {
    expect(accessOf({ sub: 'sub-mk', email: 'mk@x.com', groups: ['marketing'] }, stores)).toEqual({
      kind: 'all-stores',
      user: 'mk@x.com',
      sub: 'sub-mk',
      role: 'marketing',
    });
    expect(canSeeStore(accessOf({ sub: 'sub-a', groups: ['admin'] }, stores), 'S9')).toBe(true);
  });

  it('confines a manager to their stores, and a stranger to none', () => {
    const manager = accessOf({ sub: 'sub-m1@x.co', groups: [] }, stores);
    expect(canSeeStore(manager, 'S1')).toBe(true);
    expect(canSeeStore(manager, 'S2')).toBe(false);
    expect(canSeeStore(accessOf({ sub: 'sub-r@x.co', groups: [] }, stores), 'S2')).toBe(true);
    expect(accessOf({ sub: 'sub-nobody', groups: ['readers'] }, stores)).toMatchObject({
      kind: 'stores',
      storeIds: new Set(),
    });
  });

  it('keeps a manager who took another manager’s address to their own store', () => {
    const access = accessOf({ sub: 'sub-m1@x.co', email: 'm2@x.co', groups: [] }, stores);
    expect(access).toMatchObject({ user: 'm2@x.co', storeIds: new Set(['S1']) });
  });

  it('shows a user without a verified e-mail by their account id', () => {
    expect(accessOf({ sub: 'sub-m1@x.co', groups: [] }, stores).user).toBe('sub-m1@x.co');
  });
});

describe('groupsOf', () => {
  it('reads the groups claim as API Gateway, JSON or a list gives it', () => {
    expect(groupsOf('[admin marketing]')).toEqual(['admin', 'marketing']);
    expect(groupsOf(['marketing'])).toEqual(['marketing']);
    expect(groupsOf('admin,marketing')).toEqual(['admin', 'marketing']);
    expect(groupsOf(undefined)).toEqual([]);
  });
});
