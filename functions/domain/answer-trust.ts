/**
 * Which answers count: a person's, not a link scanner's. Mail security scanners open every link of a
 * mail within seconds of delivery, and some run the page's JavaScript. An answer a person confirmed
 * (pressed Send, or touched the page) counts at once; an answer the page saved by itself is held for
 * a short time, and discarded if the invitation shows a scanner's signs meanwhile. Pure functions.
 */
import { createHash } from 'node:crypto';
import type { StoredAnswer, Verdict } from '../schemas/answer';

/** Answers a survey keeps; a change beyond it is refused, so the item stays far below 400 KB. */
export const MAX_ANSWERS = 20;

/** Hold time by default: scanners open a mail's links within seconds (Crewhu: < 45 s apart). */
export const DEFAULT_HOLD_SECONDS = 60;

/** Link scanners strike within seconds to minutes of delivery: untouched answers this early wait longer. */
export const EARLY_CLICK_SECONDS = 10 * 60;

/** How much longer an untouched answer given soon after delivery is held, and looked at for bursts. */
export const EARLY_HOLD_FACTOR = 3;

/** The content of an answer (score, comment, reasons), so that a repeat of it is recognised. */
export const answerKeyOf = (answer: {
  readonly score: number;
  readonly comment?: string;
  readonly reasons: readonly string[];
}) =>
  createHash('sha256')
    .update(JSON.stringify([answer.score, answer.comment ?? '', answer.reasons]))
    .digest('base64url');

/** A person confirmed it: pressed Send (with or without script), or touched the page before it saved. */
export const isConfirmedByPerson = (answer: Pick<StoredAnswer, 'source' | 'signals'>) =>
  answer.source === 'form' || answer.signals?.gesture === true;

export interface TrustContext {
  readonly now: Date;
  /** How long an automatic answer is held, and the time within which scanner signs count against it. */
  readonly holdSeconds: number;
  /** When the invitation's hidden link was last fetched. */
  readonly honeypotAt?: string;
  /** When the invitation was sent: untouched answers soon after it are held `EARLY_HOLD_FACTOR` times longer. */
  readonly sentAt?: string;
}

export interface AnswersDecision {
  /** Verdicts reached now, by index in the answers (answers decided before are left out). */
  readonly verdicts: ReadonlyMap<number, Verdict>;
  /** Index of the answer that counts: the latest accepted one, if any. */
  readonly counting?: number;
  /** When the earliest answer still held can be decided; absent when none is left. */
  readonly heldUntil?: string;
}

const discarded = (reason: 'burst' | 'honeypot' | 'automation', at: string): Verdict => ({
  kind: 'discarded',
  reason,
  at,
});

/**
 * Decides every answer not yet decided, oldest first. A held (automatic, untouched) answer is
 * discarded at once if the browser said it was automated; else if, within its hold time, the
 * invitation's hidden link was fetched (`honeypot`) or the invitation gave another untouched answer
 * with a different score (`burst`: a scanner opening every link). Otherwise a later answer a person
 * confirmed replaces it (`superseded`), or once its hold time has passed it counts
 * (`no-scanner-signal`). The hold time is longer for an answer given within `EARLY_CLICK_SECONDS` of
 * the sending, when scanners strike: a slow scanner opening one link after another is still a burst.
 */
export const decideAnswers = (answers: readonly StoredAnswer[], context: TrustContext): AnswersDecision => {
  const now = context.now.getTime();
  const decidedAt = context.now.toISOString();
  const sentAt = context.sentAt === undefined ? undefined : Date.parse(context.sentAt);
  const times = answers.map((answer) => Date.parse(answer.at));
  const holds = times.map(
    (time) =>
      context.holdSeconds *
      1000 *
      (sentAt !== undefined && time - sentAt < EARLY_CLICK_SECONDS * 1000 ? EARLY_HOLD_FACTOR : 1),
  );
  const honeypot = context.honeypotAt === undefined ? undefined : Date.parse(context.honeypotAt);
  const verdicts = new Map<number, Verdict>();
  let heldUntil: number | undefined;
  answers.forEach((answer, index) => {
    if (answer.verdict !== undefined) return;
    const at = times[index] as number;
    const hold = holds[index] as number;
    if (isConfirmedByPerson(answer)) {
      verdicts.set(index, {
        kind: 'accepted',
        reason: answer.source === 'form' ? 'sent' : 'interaction',
        at: decidedAt,
      });
    } else if (answer.signals?.webdriver === true) {
      verdicts.set(index, discarded('automation', decidedAt));
    } else if (honeypot !== undefined && Math.abs(honeypot - at) <= hold) {
      verdicts.set(index, discarded('honeypot', decidedAt));
    } else if (
      answers.some(
        (other, otherIndex) =>
          otherIndex !== index &&
          !isConfirmedByPerson(other) &&
          other.score !== answer.score &&
          Math.abs((times[otherIndex] as number) - at) <= Math.max(hold, holds[otherIndex] as number),
      )
    ) {
      verdicts.set(index, discarded('burst', decidedAt));
    } else if (answers.slice(index + 1).some(isConfirmedByPerson)) {
      verdicts.set(index, { kind: 'superseded', at: decidedAt });
    } else if (now >= at + hold) {
      verdicts.set(index, { kind: 'accepted', reason: 'no-scanner-signal', at: decidedAt });
    } else {
      heldUntil = Math.min(heldUntil ?? Number.POSITIVE_INFINITY, at + hold);
    }
  });
  const verdictOf = (index: number) => answers[index]?.verdict ?? verdicts.get(index);
  const accepted = answers.map((_, index) => index).filter((index) => verdictOf(index)?.kind === 'accepted');
  const counting = accepted.at(-1);
  return {
    verdicts,
    ...(counting !== undefined && { counting }),
    ...(heldUntil !== undefined && { heldUntil: new Date(heldUntil).toISOString() }),
  };
};

/** When the first accepted answer was given (it fixes the periods the survey is counted in). */
export const firstAcceptedAt = (answers: readonly StoredAnswer[], decision: AnswersDecision) =>
  answers.find((answer, index) => (answer.verdict ?? decision.verdicts.get(index))?.kind === 'accepted')?.at;
