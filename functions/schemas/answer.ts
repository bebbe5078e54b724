import * as z from 'zod/mini';
import { MAX_SCORE, MIN_SCORE } from '../domain/nps';
import { identifier, isoTimestamp } from './common';

/** What a customer can say the score is about (what we did well, or could improve). */
export const reasonCodes = ['product', 'delivery', 'staff', 'price', 'website', 'other'] as const;
export const Reason = z.enum(reasonCodes);
export type Reason = z.infer<typeof Reason>;

export const MAX_COMMENT_LENGTH = 2000;

export const Score = z
  .number()
  .check(
    z.int('must be a whole number from 0 to 10'),
    z.gte(MIN_SCORE, 'must be from 0 to 10'),
    z.lte(MAX_SCORE, 'must be from 0 to 10'),
  );

/**
 * What the survey page's script saw before it saved a score automatically: a trusted user gesture
 * (pointer, key or touch), how long the page was visible, and whether the browser says it is driven by
 * automation (`navigator.webdriver`). Link scanners that run JavaScript show none of a person's signs.
 */
export const AnswerSignals = z.object({
  gesture: z.optional(z.boolean()),
  dwellMs: z.optional(z.number().check(z.int(), z.gte(0))),
  webdriver: z.optional(z.boolean()),
});
export type AnswerSignals = z.infer<typeof AnswerSignals>;

/**
 * Why an answer counts or not. `sent`: the person pressed Send; `interaction`: saved after a gesture
 * on the page; `no-scanner-signal`: held for the hold time and nothing pointed to a scanner.
 * `burst`: the invitation gave different automatic scores within the hold time of each other;
 * `honeypot`: the invitation's hidden link, which no person sees, was fetched; `automation`: the
 * browser said it was automated; `superseded`: a later answer confirmed by a person replaced it first.
 */
export const acceptReasons = ['sent', 'interaction', 'no-scanner-signal'] as const;
export const discardReasons = ['burst', 'honeypot', 'automation'] as const;
export const Verdict = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accepted'), reason: z.enum(acceptReasons), at: isoTimestamp() }),
  z.object({ kind: z.literal('discarded'), reason: z.enum(discardReasons), at: isoTimestamp() }),
  z.object({ kind: z.literal('superseded'), at: isoTimestamp() }),
]);
export type Verdict = z.infer<typeof Verdict>;

/**
 * A customer's answer as the survey page posts it (form fields or JSON). The comment is kept exactly
 * as written, trimmed; it is escaped wherever it is shown.
 */
export const AnswerInput = z.object({
  score: z.pipe(
    z.union([
      z.number(),
      z.string().check(z.regex(/^\s*\d{1,2}\s*$/, 'must be a whole number from 0 to 10')),
    ]),
    z.pipe(
      z.transform((value: string | number) => Number(value)),
      Score,
    ),
  ),
  comment: z.optional(
    z.pipe(
      z
        .string()
        .check(z.trim(), z.maxLength(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`)),
      z.transform((text) => (text === '' ? undefined : text)),
    ),
  ),
  reasons: z._default(z.array(Reason).check(z.maxLength(reasonCodes.length)), []),
  /** `auto`: recorded by the page's script as soon as it loaded; `form`: the person pressed send. */
  source: z._default(z.enum(['auto', 'form']), 'form'),
  signals: z.optional(AnswerSignals),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

/** The answer as stored on the survey. */
export const StoredAnswer = z.object({
  score: Score,
  comment: z.optional(z.string()),
  reasons: z.array(Reason),
  source: z.enum(['auto', 'form']),
  at: isoTimestamp(),
  signals: z.optional(AnswerSignals),
  /** Set once decided: counted, discarded as a scanner's, or replaced before it was decided. */
  verdict: z.optional(Verdict),
});
export type StoredAnswer = z.infer<typeof StoredAnswer>;

/** What the aggregates reflect of a survey's answer: its score, which version, and in which periods. */
export const CountedAnswer = z.object({
  score: Score,
  version: z.number(),
  day: z.string(),
  month: z.string(),
  /**
   * The reasons and comment themes counted into the drivers (see domain/drivers.ts); absent when the
   * answer was counted before drivers were, so it never added to them.
   */
  drivers: z.optional(
    z.object({ reasons: z.array(Reason), themes: z.array(z.string()), commented: z.boolean() }),
  ),
});
export type CountedAnswer = z.infer<typeof CountedAnswer>;

/** A message on the answers queue: count the latest answer of this survey. */
export const CountAnswerTask = z.object({ token: z.string().check(z.minLength(16)) });

/** A message on the follow-up queue, for the store manager's side. */
export const FollowUpTask = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('detractor'),
    surveyId: z.string(),
    customerId: identifier(),
    storeId: identifier(),
    score: Score,
    comment: z.optional(z.string()),
    reasons: z.array(Reason),
    answeredAt: isoTimestamp(),
  }),
  z.object({
    kind: z.literal('answer-changed'),
    surveyId: z.string(),
    score: Score,
    comment: z.optional(z.string()),
    reasons: z._default(z.array(Reason), []),
    answeredAt: isoTimestamp(),
  }),
  /** Queued, delayed, by the follow-up consumer: the coalesced update e-mail of a case due at `dueAt`. */
  z.object({ kind: z.literal('case-update'), caseId: z.string(), dueAt: isoTimestamp() }),
  /** Queued by the tick for an open case past its due time. */
  z.object({ kind: z.literal('escalate'), caseId: z.string(), scheduledAt: isoTimestamp() }),
  /** Queued by the tick once a day per store, from the store's 8:00 local time. */
  z.object({
    kind: z.literal('digest'),
    storeId: identifier(),
    date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  }),
]);
export type FollowUpTask = z.infer<typeof FollowUpTask>;

/** The fields of the survey page's form post (without JavaScript), for `AnswerInput` to check. */
export const answerFieldsOfForm = (form: URLSearchParams) => {
  const source = form.get('source') === 'auto' ? 'auto' : 'form';
  const dwellMs = form.get('dwellMs');
  return {
    score: form.get('score') ?? undefined,
    comment: form.get('comment') ?? undefined,
    reasons: form.getAll('reasons'),
    source,
    ...(source === 'auto' && {
      signals: {
        gesture: form.get('gesture') === 'true',
        webdriver: form.get('webdriver') === 'true',
        ...(dwellMs !== null && { dwellMs: /^\d{1,9}$/.test(dwellMs) ? Number(dwellMs) : dwellMs }),
      },
    }),
  };
};
