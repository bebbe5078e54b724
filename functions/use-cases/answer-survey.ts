import { dequal } from 'dequal';
import type { AnswerRepository } from '../adapters/answer-repository';
import { StaleAnswerError } from '../adapters/answer-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { TaskQueue } from '../adapters/task-queue';
import { SurveyExpiredError } from '../domain/errors';
import { categoryOf } from '../domain/nps';
import { dueShardOf } from '../domain/schedule';
import type { AnswerInput, StoredAnswer } from '../schemas/answer';
import type { SurveyRecord } from '../schemas/survey';
import { logger } from '../shared/powertools';
import { surveyForLink } from './contact-status';

export interface AnswerSurveyDeps {
  readonly surveys: Pick<SurveyRepository, 'get'>;
  readonly answers: Pick<AnswerRepository, 'record'>;
  readonly answersQueue: Pick<TaskQueue, 'sendAll'>;
  readonly clock?: () => Date;
}

/** The survey behind a link, if it can still be answered: 404 unknown, 410 expired. */
export const openSurvey = async (deps: Pick<AnswerSurveyDeps, 'surveys' | 'clock'>, token: string) => {
  const survey = await surveyForLink(deps, token);
  const now = (deps.clock ?? (() => new Date()))();
  if (new Date(survey.expiresAt).getTime() <= now.getTime()) {
    throw new SurveyExpiredError('This survey has closed.');
  }
  return survey;
};

/**
 * The answer the input makes. The page's automatic save carries only a score: it keeps the comment
 * and reasons the customer already sent.
 */
const answerFrom = (input: AnswerInput, current: StoredAnswer | undefined, at: string): StoredAnswer => {
  const comment = input.source === 'auto' ? current?.comment : input.comment;
  return {
    score: input.score,
    ...(comment !== undefined && { comment }),
    reasons: input.source === 'auto' ? (current?.reasons ?? []) : [...new Set(input.reasons)].sort(),
    source: input.source,
    at,
  };
};

const sameAnswer = (stored: StoredAnswer | undefined, next: StoredAnswer) =>
  stored !== undefined &&
  stored.score === next.score &&
  (stored.comment ?? '') === (next.comment ?? '') &&
  dequal([...stored.reasons].sort(), next.reasons);

/**
 * Records a customer's answer. The latest answer wins and earlier ones are kept; a repeat of the
 * current answer (a double click, a retried request, the page's automatic save after a reload)
 * changes nothing. The aggregates and the follow-up are updated asynchronously from the answers
 * queue; if that message is lost, the tick finds the uncounted answer and queues it again.
 */
export const answerSurvey = async (
  deps: AnswerSurveyDeps,
  token: string,
  input: AnswerInput,
): Promise<{ survey: SurveyRecord; answer: StoredAnswer; changed: boolean }> => {
  for (let attempt = 0; ; attempt++) {
    const survey = await openSurvey(deps, token);
    const answer = answerFrom(input, survey.answer, (deps.clock ?? (() => new Date()))().toISOString());
    if (survey.answer !== undefined && sameAnswer(survey.answer, answer)) {
      return { survey, answer: survey.answer, changed: false };
    }
    try {
      await deps.answers.record(token, answer, survey.answer, survey.version ?? 0, dueShardOf(token));
    } catch (error) {
      if (error instanceof StaleAnswerError && attempt < 5) continue;
      throw error;
    }
    await deps.answersQueue.sendAll([{ token }]).catch((error: unknown) => {
      logger.warn('could not queue the answer for counting; the tick will', { error: error as Error });
    });
    return { survey: { ...survey, answer }, answer, changed: true };
  }
};

export const categoryOfAnswer = (answer: StoredAnswer) => categoryOf(answer.score);
