/** Rules of the detractor follow-up: pure. */

/** A detractor hears from the store within this many hours of answering. */
export const FIRST_CONTACT_HOURS = 24;

export const dueAtFor = (answeredAt: string): string =>
  new Date(new Date(answeredAt).getTime() + FIRST_CONTACT_HOURS * 3_600_000).toISOString();

/**
 * Who owns a store's follow-up: its manager, or its regional manager when the store has no manager
 * address; undefined when it has neither (the case is then unassigned and alerted to nobody).
 */
export const ownerOf = (store: { managerEmail?: string; regionalManagerEmail?: string } | undefined) =>
  store?.managerEmail
    ? { owner: store.managerEmail, ownerRole: 'store-manager' as const }
    : store?.regionalManagerEmail
      ? { owner: store.regionalManagerEmail, ownerRole: 'regional-manager' as const }
      : undefined;

/** Whether an open case has passed its due time without first contact. */
export const isOverdue = (caseRecord: { status: string; dueAt: string }, now: Date) =>
  caseRecord.status === 'open' && new Date(caseRecord.dueAt).getTime() <= now.getTime();
