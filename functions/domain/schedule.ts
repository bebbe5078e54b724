/**
 * When customers are surveyed: pure rules, no clock of their own (every function takes the instant).
 */
import { createHash } from 'node:crypto';

/** Relationship surveys go every six months, and never more often. */
export const SURVEY_INTERVAL_MONTHS = 6;

/** New customers' first surveys are spread over this many days after import, not all on day one. */
export const FIRST_SURVEY_SPREAD_DAYS = 28;

/**
 * A bulk import's new customers have their first surveys spread over a whole six-month cycle (182
 * days), so a large initial base is surveyed evenly rather than in one wave every six months.
 */
export const BULK_FIRST_SURVEY_SPREAD_DAYS = 182;

/** Shards of the sparse due-date index: enough partitions to spread writes, few enough to query all. */
export const DUE_SHARDS = 16;

const DAY_MS = 86_400_000;

/** Adds calendar months in UTC, clamping to the month's last day (31 Aug + 6 months = 28/29 Feb). */
export const addMonths = (instant: Date, months: number): Date => {
  const result = new Date(instant.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
};

export const addDays = (instant: Date, days: number): Date => new Date(instant.getTime() + days * DAY_MS);

/** A stable number in [0, 1) derived from a string, so the same customer always lands the same way. */
const unitHash = (text: string): number =>
  createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;

/** The shard of the due-date index a customer lives in. */
export const dueShardOf = (customerId: string, shards = DUE_SHARDS): string =>
  String(Math.floor(unitHash(`shard:${customerId}`) * shards));

/**
 * A new customer's first survey: somewhere in the `spreadDays` after import, at a stable instant
 * derived from the customer id, so a large import does not mail everyone on the same day.
 */
export const firstSurveyAt = (
  customerId: string,
  importedAt: Date,
  spreadDays = FIRST_SURVEY_SPREAD_DAYS,
): Date =>
  new Date(
    importedAt.getTime() + Math.floor(unitHash(`first:${customerId}`) * spreadDays * DAY_MS) + DAY_MS / 24,
  );

/** The next survey after one sent for the cycle due at `cycleAt`. */
export const nextSurveyAfter = (cycleAt: Date): Date => addMonths(cycleAt, SURVEY_INTERVAL_MONTHS);

/** True when a survey at `at` would come less than six months after the last one. */
export const isThrottled = (lastSurveyedAt: string | undefined, at: Date): boolean =>
  lastSurveyedAt !== undefined &&
  addMonths(new Date(lastSurveyedAt), SURVEY_INTERVAL_MONTHS).getTime() > at.getTime();

export type SkipReason = 'unknown-customer' | 'not-subscribed' | 'throttled' | 'already-sent';

/**
 * Whether an invitation for the cycle due at `cycleAt` may go, as of `at`, to this customer. A
 * customer who is no longer subscribed, or was surveyed less than six months before `at`, is skipped;
 * so is one whose survey for this very cycle was already recorded (a redelivered task).
 */
export const invitationDecision = (
  customer: { contactStatus: string; lastSurveyedAt?: string; lastCycleAt?: string } | undefined,
  cycleAt: string,
  at: Date,
): { send: true } | { send: false; reason: SkipReason } => {
  if (customer === undefined) return { send: false, reason: 'unknown-customer' };
  if (customer.contactStatus !== 'subscribed') return { send: false, reason: 'not-subscribed' };
  if (customer.lastCycleAt === cycleAt) return { send: false, reason: 'already-sent' };
  if (isThrottled(customer.lastSurveyedAt, at)) return { send: false, reason: 'throttled' };
  return { send: true };
};

/**
 * Where the scheduler moves a customer's due date when it queues the invitation, so the next run does
 * not queue it again. The sender replaces it with six months after the actual send; this value only
 * stands if the invitation is lost, and then the customer is simply asked next time.
 */
export const provisionalNextSurveyAt = (due: Date, now: Date): Date =>
  nextSurveyAfter(due.getTime() > now.getTime() ? due : now);

/** The instant a task runs "as of": the scheduler's instant, or later if the task was delayed. */
export const effectiveNow = (scheduledAt: Date, clock: Date): Date =>
  scheduledAt.getTime() > clock.getTime() ? scheduledAt : clock;
