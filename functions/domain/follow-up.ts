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

/** The local calendar date (YYYY-MM-DD) and hour of an instant in a time zone. */
export const localDateHour = (instant: Date, timeZone: string) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
};

/** Store managers get their daily digest from this local hour on. */
export const DIGEST_LOCAL_HOUR = 8;

/** The day before a YYYY-MM-DD date. */
export const previousDate = (date: string) =>
  new Date(new Date(`${date}T12:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);

/** The statuses a case may move to from each status. Closing statuses are final. */
const transitions: Readonly<Record<string, readonly string[]>> = {
  open: ['contacted', 'resolved', 'no-answer'],
  contacted: ['resolved', 'no-answer'],
  resolved: [],
  'no-answer': [],
};

export const canMoveTo = (from: string, to: string) => from === to || (transitions[from] ?? []).includes(to);

/** The stores a manager may see: those they manage, or oversee as regional manager. */
export const storesManagedBy = (
  email: string,
  stores: readonly { storeId: string; managerEmail?: string; regionalManagerEmail?: string }[],
) => {
  const who = email.trim().toLowerCase();
  return new Set(
    stores
      .filter((store) => store.managerEmail === who || store.regionalManagerEmail === who)
      .map((store) => store.storeId),
  );
};
