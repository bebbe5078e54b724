/** Cognito groups whose members see every store: marketing pulls segments, admins run the system. */
export const allStoreRoles = ['admin', 'marketing'] as const;
export type AllStoreRole = (typeof allStoreRoles)[number];

/**
 * Who is signed in, from the verified token: the account's `sub` (immutable, what access is bound
 * to), the e-mail address only when it is verified (for showing who did what), and the groups.
 */
export interface StaffIdentity {
  readonly sub: string;
  readonly email?: string;
  readonly groups: readonly string[];
}

/** How a person is shown (case notes, exports, the dashboard): the verified e-mail, else the account id. */
export const displayNameOf = (who: Pick<StaffIdentity, 'sub' | 'email'>) => who.email ?? who.sub;

/**
 * What a signed-in user may see: every store, or the stores they manage (possibly none). `user` is
 * how they are shown, `sub` who they are.
 */
export type Access =
  | { readonly kind: 'all-stores'; readonly user: string; readonly sub: string; readonly role: AllStoreRole }
  | {
      readonly kind: 'stores';
      readonly user: string;
      readonly sub: string;
      readonly storeIds: ReadonlySet<string>;
    };

/** A store role bound to an account by `closeloop staff sync`: the account, and the address it was bound for. */
export interface AccountBinding {
  readonly sub: string;
  readonly email: string;
}

/** A store as access reads it: its managers' addresses and the accounts bound to those roles. */
export interface StoreRoles {
  readonly storeId: string;
  readonly managerEmail?: string;
  readonly regionalManagerEmail?: string;
  readonly managerAccount?: AccountBinding;
  readonly regionalManagerAccount?: AccountBinding;
}

/**
 * The account a role is bound to; none unless the binding was made for the role's current address,
 * so a store whose manager was replaced stops admitting the old account the moment the address
 * changes, even before the binding is cleared.
 */
export const boundAccountOf = (address: string | undefined, binding: AccountBinding | undefined) =>
  address !== undefined && binding !== undefined && binding.email === address ? binding.sub : undefined;

/** The stores an account may see: those whose manager or regional manager role is bound to it. */
export const storesManagedBy = (sub: string, stores: readonly StoreRoles[]) =>
  new Set(
    stores
      .filter(
        (store) =>
          boundAccountOf(store.managerEmail, store.managerAccount) === sub ||
          boundAccountOf(store.regionalManagerEmail, store.regionalManagerAccount) === sub,
      )
      .map((store) => store.storeId),
  );

/**
 * The groups claim as API Gateway's JWT authorizer passes it (`"[admin marketing]"`), as a JSON
 * array, or as a comma-separated string.
 */
export const groupsOf = (claim: unknown): string[] => {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group !== '');
};

/**
 * Marketing and admins (groups only admins can join) see all stores; anyone else the stores whose
 * roles are bound to their account. The e-mail claim plays no part: a user may change it.
 */
export const accessOf = (who: StaffIdentity, stores: readonly StoreRoles[]): Access => {
  const user = displayNameOf(who);
  const role = allStoreRoles.find((candidate) => who.groups.includes(candidate));
  if (role !== undefined) return { kind: 'all-stores', user, sub: who.sub, role };
  return { kind: 'stores', user, sub: who.sub, storeIds: storesManagedBy(who.sub, stores) };
};

export const canSeeStore = (access: Access, storeId: string) =>
  access.kind === 'all-stores' || access.storeIds.has(storeId);
