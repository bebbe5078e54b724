/** Rules of a customer's privacy export and erasure. Pure functions: no AWS, no environment. */
import type { Reason } from '../schemas/answer';
import { answerKeyOf } from './answer-trust';
import { categoryOf } from './nps';

/**
 * What an erased survey or case names instead of its customer. A valid identifier, so the records
 * still parse everywhere they are read (survey page, counting, managers' cases).
 */
export const ERASED_CUSTOMER_ID = 'erased';

/** The text of a case note once erased (managers' notes may name or describe the customer). */
export const ERASED_NOTE_TEXT = '[erased]';

/** What the pipeline may still be doing with a survey's answer; the part of a survey it needs. */
export interface SurveyProgress {
  readonly surveyId: string;
  /** The answer that counts. */
  readonly answer?: {
    readonly score: number;
    readonly at: string;
    readonly comment?: string;
    readonly reasons: readonly Reason[];
  };
  readonly countShard?: string;
  readonly counted?: { readonly score: number };
  readonly followUpQueuedAt?: string;
  readonly followUpAnswerKey?: string;
}

/** The part of a follow-up case that tells which answers reached it. */
export interface CaseProgress {
  readonly answeredAt: string;
  /** `answer:{at}` for each change of the answer noted on the case. */
  readonly noteKeys: ReadonlySet<string>;
}

/**
 * Why a survey's answer is still on its way through the pipeline (counting, then for a detractor the
 * follow-up queue, then the case), or undefined when it has arrived everywhere. Erasing before that
 * would let a queued task carry the comment back after the erasure: a case opened from it, or a note
 * added to it.
 */
export const pendingWork = (survey: SurveyProgress, caseProgress: CaseProgress | undefined) => {
  if (survey.countShard !== undefined) return `survey ${survey.surveyId}: its answer is not counted yet`;
  if (survey.answer === undefined || survey.counted === undefined) return undefined;
  if (survey.followUpQueuedAt === undefined) {
    return categoryOf(survey.counted.score) === 'detractor'
      ? `survey ${survey.surveyId}: its detractor follow-up is being queued`
      : undefined;
  }
  if (survey.followUpAnswerKey !== answerKeyOf(survey.answer)) {
    return `survey ${survey.surveyId}: a change of its answer is being passed on to the follow-up case`;
  }
  if (caseProgress === undefined) return `survey ${survey.surveyId}: its follow-up case is not open yet`;
  if (
    caseProgress.answeredAt !== survey.answer.at &&
    !caseProgress.noteKeys.has(`answer:${survey.answer.at}`)
  ) {
    return `survey ${survey.surveyId}: a change of its answer has not reached the follow-up case yet`;
  }
  return undefined;
};

/** The part of a case an erasure changes. */
export interface CaseContents {
  readonly customerId: string;
  readonly comment?: string;
  readonly customer: {
    readonly name: string;
    readonly email: string;
    readonly phone?: string;
    readonly attributes: object;
  };
  readonly notes: readonly { readonly text: string }[];
  readonly calls?: readonly { readonly note?: string }[];
  readonly resolution?: { readonly note?: string };
}

/** What an erasure must overwrite in a case's free text: its notes, the calls with a note, the resolution. */
export const erasableParts = (caseContents: CaseContents) => ({
  notes: caseContents.notes.length,
  calls: (caseContents.calls ?? []).length,
  callsWithNotes: (caseContents.calls ?? []).flatMap((call, index) =>
    call.note === undefined ? [] : [index],
  ),
  resolution:
    caseContents.resolution === undefined
      ? ('none' as const)
      : caseContents.resolution.note === undefined
        ? ('without-note' as const)
        : ('with-note' as const),
});

/** Whether a case holds nothing about its customer any more (so a re-run leaves it alone). */
export const isErasedCase = (caseContents: CaseContents) =>
  caseContents.customerId === ERASED_CUSTOMER_ID &&
  caseContents.comment === undefined &&
  caseContents.customer.name === '' &&
  caseContents.customer.email === '' &&
  Object.keys(caseContents.customer.attributes).length === 0 &&
  caseContents.customer.phone === undefined &&
  caseContents.notes.every((note) => note.text === ERASED_NOTE_TEXT) &&
  (caseContents.calls ?? []).every((call) => call.note === undefined || call.note === ERASED_NOTE_TEXT) &&
  (caseContents.resolution?.note === undefined || caseContents.resolution.note === ERASED_NOTE_TEXT);

/** A stored item as JSON can carry it: DynamoDB sets become sorted arrays, the rest is unchanged. */
export const jsonSafe = (value: unknown): unknown => {
  if (value instanceof Set) return [...value].map(jsonSafe).sort();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonSafe(inner)]));
  }
  return value;
};
