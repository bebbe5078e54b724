import { storesManagedBy } from './follow-up';

/** Cognito groups whose members see every store: marketing pulls segments, admins run the system. */
export const allStoreRoles = ['admin', 'marketing'] as const;
export type AllStoreRole = (typeof allStoreRoles)[number];

/** What a signed-in user may see: every store, or the stores they manage (possibly none). */
export type Access =
  | { readonly kind: 'all-stores'; readonly user: string; readonly role: AllStoreRole }
  | { readonly kind: 'stores'; readonly user: string; readonly storeIds: ReadonlySet<string> };

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

/** Marketing and admins see all stores; anyone else sees the stores they manage or oversee. */
export const accessOf = (
  user: string,
  groups: readonly string[],
  stores: readonly { storeId: string; managerEmail?: string; regionalManagerEmail?: string }[],
): Access => {
  const role = allStoreRoles.find((candidate) => groups.includes(candidate));
  if (role !== undefined) return { kind: 'all-stores', user, role };
  return { kind: 'stores', user, storeIds: storesManagedBy(user, stores) };
};

export const canSeeStore = (access: Access, storeId: string) =>
  access.kind === 'all-stores' || access.storeIds.has(storeId);
