import { type AccountBinding, allStoreRoles, boundAccountOf, type StoreRoles } from './access';

/**
 * Staff accounts follow the stores registry: the plan of `closeloop staff sync`, pure. Every store
 * and regional manager address gets an account (invited by e-mail) in the `managers` group, each
 * store role is bound to its account's `sub`, and managers who manage no store any more are disabled
 * (members of the all-store groups are never touched).
 */

/** The group every store and regional manager account is in. */
export const managersGroup = 'managers';

export const storeRoleNames = ['manager', 'regionalManager'] as const;
export type StoreRoleName = (typeof storeRoleNames)[number];

/** An account of the directory (the local provider or Cognito), as the plan reads it. */
export interface DirectoryAccount {
  /** What admin calls name the account by (the `sub`, in a pool whose sign-in name is the e-mail). */
  readonly username: string;
  readonly sub: string;
  readonly email: string;
  readonly enabled: boolean;
  readonly groups: readonly string[];
}

/** A store's manager roles, their addresses and bindings: what access reads. */
export type StoreStaffing = StoreRoles;

export type StaffChange =
  /** A new account for this address, invited by e-mail, in the managers group. */
  | { readonly kind: 'create'; readonly email: string }
  | { readonly kind: 'enable'; readonly email: string; readonly username: string }
  | {
      readonly kind: 'add-to-group';
      readonly email: string;
      readonly username: string;
      readonly group: string;
    }
  /** Binds a store role to the account of `email` (`sub` unknown until a new account is created). */
  | {
      readonly kind: 'bind';
      readonly storeId: string;
      readonly role: StoreRoleName;
      readonly email: string;
      readonly address: string;
      readonly sub?: string;
    }
  /** Removes a binding left on a role with no address (the store's import cleared it). */
  | {
      readonly kind: 'unbind';
      readonly storeId: string;
      readonly role: StoreRoleName;
      readonly binding: AccountBinding;
    }
  | { readonly kind: 'disable'; readonly email: string; readonly username: string };

/** A store role's address and the account binding it holds. */
export const roleOf = (store: StoreStaffing, role: StoreRoleName) =>
  role === 'manager'
    ? { address: store.managerEmail, binding: store.managerAccount }
    : { address: store.regionalManagerEmail, binding: store.regionalManagerAccount };

/** The roles of a store bound to the account `sub`. */
export const rolesBoundTo = (sub: string, store: StoreStaffing) =>
  storeRoleNames.filter((role) => {
    const { address, binding } = roleOf(store, role);
    return boundAccountOf(address, binding) === sub;
  });

/** E-mail addresses compare trimmed and case-insensitively, as Cognito's e-mail sign-in does. */
export const normalisedEmail = (email: string) => email.trim().toLowerCase();

/** The account holding an address: an enabled one first, then a manager's, then the oldest listed. */
const accountsByEmail = (accounts: readonly DirectoryAccount[]) => {
  const rank = (account: DirectoryAccount) =>
    (account.enabled ? 0 : 2) + (account.groups.includes(managersGroup) ? 0 : 1);
  const byEmail = new Map<string, DirectoryAccount>();
  for (const account of accounts) {
    const email = normalisedEmail(account.email);
    const held = byEmail.get(email);
    if (held === undefined || rank(account) < rank(held)) byEmail.set(email, account);
  }
  return byEmail;
};

/** The changes that bring the accounts and bindings in line with the stores; none when they are. */
export const planStaffSync = (
  stores: readonly StoreStaffing[],
  accounts: readonly DirectoryAccount[],
): StaffChange[] => {
  const byEmail = accountsByEmail(accounts);
  const managers = new Set<string>();
  const binds: StaffChange[] = [];
  const unbinds: StaffChange[] = [];
  for (const store of [...stores].sort((a, b) => a.storeId.localeCompare(b.storeId))) {
    for (const role of storeRoleNames) {
      const { address, binding } = roleOf(store, role);
      if (address === undefined || address.trim() === '') {
        if (binding !== undefined) unbinds.push({ kind: 'unbind', storeId: store.storeId, role, binding });
        continue;
      }
      const email = normalisedEmail(address);
      managers.add(email);
      const account = byEmail.get(email);
      if (account === undefined || boundAccountOf(address, binding) !== account.sub)
        binds.push({
          kind: 'bind',
          storeId: store.storeId,
          role,
          email,
          address,
          ...(account !== undefined && { sub: account.sub }),
        });
    }
  }

  const accountChanges: StaffChange[] = [];
  for (const email of [...managers].sort()) {
    const account = byEmail.get(email);
    if (account === undefined) {
      accountChanges.push({ kind: 'create', email });
      continue;
    }
    if (!account.enabled) accountChanges.push({ kind: 'enable', email, username: account.username });
    if (!account.groups.includes(managersGroup))
      accountChanges.push({ kind: 'add-to-group', email, username: account.username, group: managersGroup });
  }

  const disables: StaffChange[] = accounts
    .filter(
      (account) =>
        account.enabled &&
        account.groups.includes(managersGroup) &&
        !account.groups.some((group) => (allStoreRoles as readonly string[]).includes(group)) &&
        !managers.has(normalisedEmail(account.email)),
    )
    .sort((a, b) => a.email.localeCompare(b.email))
    .map((account) => ({
      kind: 'disable',
      email: normalisedEmail(account.email),
      username: account.username,
    }));

  return [...accountChanges, ...binds, ...unbinds, ...disables];
};

/** One line per change, for people (the dry run prints these). */
export const describeStaffChange = (change: StaffChange): string => {
  const roleName = (role: StoreRoleName) => (role === 'manager' ? 'manager' : 'regional manager');
  switch (change.kind) {
    case 'create':
      return `create an account for ${change.email} (invited by e-mail, in ${managersGroup})`;
    case 'enable':
      return `enable the account of ${change.email} (a store names them again)`;
    case 'add-to-group':
      return `add ${change.email} to ${change.group}`;
    case 'bind':
      return `bind ${change.storeId}'s ${roleName(change.role)} to the account of ${change.email}${change.sub === undefined ? ' (new)' : ''}`;
    case 'unbind':
      return `remove ${change.storeId}'s ${roleName(change.role)} binding (the store names nobody in that role)`;
    case 'disable':
      return `disable the account of ${change.email} (manages no store any more)`;
  }
};
