import * as z from 'zod/mini';
import { CountedAnswer, StoredAnswer } from './answer';
import { identifier, isoTimestamp } from './common';
import type { StoredConsent } from './consent';
import { WinBackBaseline } from './win-back';

/**
 * A survey sent to one customer for one cycle. Keyed by `token`, the hash of its invitation's link
 * token (`surveyKeyOf`): the link token itself, the secret that lets its holder answer or unsubscribe,
 * is stored nowhere. `surveyId` is the public id used in history, reports and exports.
 */
export const SurveyRecord = z.object({
  /** The survey's key: the hash of the invitation's link token (the raw token for surveys sent before). */
  token: z.string(),
  surveyId: z.string(),
  customerId: identifier(),
  storeId: identifier(),
  locale: z.string(),
  /** The scheduler cycle (the due date) this survey answers. */
  cycleAt: isoTimestamp(),
  status: z.enum(['sending', 'sent', 'responded']),
  createdAt: isoTimestamp(),
  sentAt: z.optional(isoTimestamp()),
  expiresAt: isoTimestamp(),
  /** With `reminderDueAt`, places the survey in the sparse reminder index until its reminder goes. */
  reminderShard: z.optional(z.string()),
  reminderDueAt: z.optional(isoTimestamp()),
  reminderSentAt: z.optional(isoTimestamp()),
  /** The hash of the reminder's own link token (the `byReminderLink` index), once the reminder is sent. */
  reminderLinkKey: z.optional(z.string()),
  /**
   * The answer that counts: the latest one a person confirmed (sent, or saved after a gesture) or that
   * was held without any sign of a scanner. An automatic answer is not here while it is held.
   */
  answer: z.optional(StoredAnswer),
  /** Identifies the latest answer recorded (held or not), so a repeat of it is recognised without a read. */
  answerKey: z.optional(z.string()),
  /** How many answers were recorded (a customer may change theirs); answer N is `answers[N - 1]`. */
  version: z.optional(z.number()),
  firstAnsweredAt: z.optional(isoTimestamp()),
  /** Every answer recorded, oldest first, each with its verdict once decided; at most `MAX_ANSWERS`. */
  answers: z.optional(z.array(StoredAnswer)),
  /** When the e-mail's hidden link, which no person sees, was last fetched (a link scanner). */
  honeypotAt: z.optional(isoTimestamp()),
  /** With `answeredAt`, places the survey in the sparse `answersToCount` index until it is counted. */
  countShard: z.optional(z.string()),
  answeredAt: z.optional(isoTimestamp()),
  counted: z.optional(CountedAnswer),
  /** The detractor follow-up was queued, and the last score the follow-up side was told about. */
  followUpQueuedAt: z.optional(isoTimestamp()),
  followUpScore: z.optional(z.number()),
  /** The `answerKey` of the answer the follow-up side was last told about. */
  followUpAnswerKey: z.optional(z.string()),
  /** The customer was erased: the survey keeps its score, not who gave it or what they wrote. */
  erasedAt: z.optional(isoTimestamp()),
  /** The customer was a detractor at the survey before: its case's outcome, for the win-back figures. */
  winBack: z.optional(WinBackBaseline),
  /** The promoter's consent to have their comment quoted as a testimonial, while it stands. */
  // Checked where it is written (`StoredConsent`); read as stored, which keeps this schema, bundled by
  // every function that reads a survey, small.
  consent: z.optional(z.any() as z.ZodMiniType<StoredConsent>),
  /** With `consentedAt`, places a standing consent in the sparse `consentedQuotes` index. */
  quoteShard: z.optional(z.string()),
  consentedAt: z.optional(isoTimestamp()),
});
export type SurveyRecord = z.infer<typeof SurveyRecord>;

/** A message on the invitations queue: a first invitation for a cycle, or the reminder of a survey. */
/** Times the task was put back on the queue for lack of SES sending rate (not failures). */
const deferrals = () => z.optional(z.number().check(z.int(), z.gte(0)));

export const InvitationTask = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('invitation'),
    customerId: identifier(),
    /** The due date that triggered it: identifies the cycle, so retries and duplicates are recognised. */
    cycleAt: isoTimestamp(),
    /** The scheduler's instant; the task runs as of this instant or later. */
    scheduledAt: isoTimestamp(),
    /** When its send window closes: a task run later goes back to the scheduler, unsent. */
    sendBy: z.optional(isoTimestamp()),
    deferrals: deferrals(),
  }),
  z.object({
    kind: z.literal('reminder'),
    /** The survey's key (not a link token). */
    token: z.string().check(z.minLength(16)),
    scheduledAt: isoTimestamp(),
    sendBy: z.optional(isoTimestamp()),
    deferrals: deferrals(),
  }),
]);
export type InvitationTask = z.infer<typeof InvitationTask>;

/** Link tokens: 128 random bits, base64url (22 characters). */
export const SurveyToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{22,64}$/, 'is not a survey token'));
