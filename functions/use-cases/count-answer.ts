import type { AnswerRepository } from '../adapters/answer-repository';
import { StaleAnswerError } from '../adapters/answer-repository';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { Once } from '../adapters/idempotency';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { TaskQueue } from '../adapters/task-queue';
import { aggregateKeysOf, countDelta, periodsOf } from '../domain/aggregates';
import { categoryOf, isTestimonialCandidate } from '../domain/nps';
import { dueShardOf } from '../domain/schedule';
import type { FollowUpTask } from '../schemas/answer';
import type { SurveyRecord } from '../schemas/survey';

export interface CountAnswerDeps {
  readonly surveys: Pick<SurveyRepository, 'get'>;
  readonly answers: Pick<AnswerRepository, 'count' | 'noteFollowUp'>;
  readonly customers: Pick<CustomerRepository, 'recordScore'>;
  readonly followUps: Pick<TaskQueue, 'sendAll'>;
  readonly once: Once;
}

/**
 * Counts a survey's latest answer into the aggregates exactly once (a transaction conditioned on the
 * answer's version), feeds the score back to the customer record, and hands a detractor to the
 * store manager's follow-up queue: one task per detractor survey, and a note on it if the customer
 * later changes the answer. Every step is safe to repeat, so the task can be retried at will.
 *
 * The score and the hand-off come before the counting transaction, which is the write that takes the
 * survey out of the `answersToCount` index: a failure at any step leaves the answer uncounted, so it
 * is retried, and swept up by the tick if the retries run out. (Counting first would leave a counted
 * answer whose hand-off failed nowhere to be found again: a detractor without a case.)
 */
export const countAnswer = async (
  deps: CountAnswerDeps,
  token: string,
): Promise<'counted' | 'nothing-to-count'> => {
  for (let attempt = 0; ; attempt++) {
    const survey = await deps.surveys.get(token);
    if (survey?.answer === undefined || survey.version === undefined) return 'nothing-to-count';
    const answered = survey as SurveyRecord & { answer: NonNullable<SurveyRecord['answer']> };
    await deps.customers.recordScore(answered.customerId, answered.surveyId, answered.answer);
    await handOff(deps, answered);
    if (survey.counted?.version === survey.version) return 'counted';
    const periods = survey.counted ?? periodsOf(survey.firstAnsweredAt ?? survey.answer.at);
    const counted = {
      score: survey.answer.score,
      version: survey.version,
      day: periods.day,
      month: periods.month,
    };
    try {
      await deps.answers.count(
        token,
        survey.version,
        survey.counted,
        counted,
        countDelta(survey.counted?.score, survey.answer.score),
        aggregateKeysOf(survey.storeId, periods),
        {
          ...(isTestimonialCandidate(survey.answer) && { testimonialShard: dueShardOf(token) }),
          ...(survey.answer.comment && { commentStoreId: survey.storeId }),
        },
      );
      return 'counted';
    } catch (error) {
      // A newer answer came in meanwhile: read it, and count (and hand off) that one.
      if (error instanceof StaleAnswerError && attempt < 10) continue;
      throw error;
    }
  }
};

const handOff = async (
  deps: CountAnswerDeps,
  survey: SurveyRecord & { answer: NonNullable<SurveyRecord['answer']> },
) => {
  const { answer } = survey;
  const task: FollowUpTask | undefined =
    survey.followUpQueuedAt === undefined
      ? categoryOf(answer.score) === 'detractor'
        ? {
            kind: 'detractor',
            surveyId: survey.surveyId,
            customerId: survey.customerId,
            storeId: survey.storeId,
            score: answer.score,
            ...(answer.comment !== undefined && { comment: answer.comment }),
            reasons: answer.reasons,
            answeredAt: answer.at,
          }
        : undefined
      : // A changed score, or a comment added after the score was saved: the case is updated.
        survey.followUpAnswerKey !== survey.answerKey
        ? {
            kind: 'answer-changed',
            surveyId: survey.surveyId,
            score: answer.score,
            ...(answer.comment !== undefined && { comment: answer.comment }),
            reasons: answer.reasons,
            answeredAt: answer.at,
          }
        : undefined;
  if (task === undefined) return;
  // One detractor task per survey, one note per changed version: idempotent even when two counting
  // tasks for the same survey race.
  const key =
    task.kind === 'detractor'
      ? `follow-up:${survey.surveyId}`
      : `follow-up:${survey.surveyId}:v${survey.version}`;
  await deps.once(key, async () => {
    await deps.followUps.sendAll([task]);
    return {};
  });
  await deps.answers.noteFollowUp(survey.token, answer.score, survey.answerKey ?? '', answer.at);
};
