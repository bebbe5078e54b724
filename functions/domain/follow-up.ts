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

/** The `byStoreStatus` index's sort key of a case: its status, then its due time. */
export const statusDueOf = (status: string, dueAt: string) => `${status}#${dueAt}`;

/** SQS delays a message by 15 minutes at most; a longer wait is carried by a chain of delays. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** The update e-mail about a case last claimed: its number, the changes it covers ([from, to)), when. */
export interface UpdateMailClaim {
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly at: string;
}

/** What the update-mail rule reads on a case. */
export interface UpdateMailState {
  readonly status: string;
  readonly owner: string;
  /** The score of each change of the answer noted on the case, in order. */
  readonly changeScores?: readonly number[];
  readonly updateMail?: UpdateMailClaim;
  /** The number of the last update e-mail known to be sent. */
  readonly updateMailsSent?: number;
  /** When the coalesced e-mail waiting for the interval to pass is due (a delayed task carries it). */
  readonly updateMailDueAt?: string;
  /** The customer was erased from the case: nothing more is said about them. */
  readonly erasedAt?: string;
}

export type UpdateMailStep =
  /** An e-mail was claimed and not yet sent (a crash in between): send it, then mark it sent. */
  | { readonly step: 'deliver'; readonly mail: UpdateMailClaim }
  /** Changes wait and the interval has passed: claim the next e-mail, covering all of them. */
  | { readonly step: 'claim'; readonly expectedSeq: number; readonly mail: UpdateMailClaim }
  /** Changes wait inside the interval: a task delayed until `dueAt` sends them (`scheduled`: one was queued). */
  | {
      readonly step: 'wait';
      readonly dueAt: string;
      readonly delaySeconds: number;
      readonly scheduled: boolean;
    }
  | { readonly step: 'done' };

/**
 * The rule of the update e-mails a case's owner gets when the customer changes the answer: at most one
 * per `intervalSeconds`, covering every change since the one before (the first goes at once). Every
 * change is covered by exactly one e-mail; none goes once the case is no longer open, has no owner or
 * its customer was erased (an e-mail already claimed still goes).
 */
export const nextUpdateMailStep = (
  state: UpdateMailState,
  now: Date,
  intervalSeconds: number,
): UpdateMailStep => {
  const last = state.updateMail;
  if (last !== undefined && last.seq > (state.updateMailsSent ?? 0)) return { step: 'deliver', mail: last };
  const changes = state.changeScores?.length ?? 0;
  const covered = last?.to ?? 0;
  if (changes <= covered || state.status !== 'open' || state.owner === '' || state.erasedAt !== undefined)
    return { step: 'done' };
  const nextAt = last === undefined ? now.getTime() : new Date(last.at).getTime() + intervalSeconds * 1000;
  if (nextAt <= now.getTime())
    return {
      step: 'claim',
      expectedSeq: last?.seq ?? 0,
      mail: { seq: (last?.seq ?? 0) + 1, from: covered, to: changes, at: now.toISOString() },
    };
  const dueAt = new Date(nextAt).toISOString();
  return {
    step: 'wait',
    dueAt,
    delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((nextAt - now.getTime()) / 1000)),
    scheduled: state.updateMailDueAt === dueAt,
  };
};
