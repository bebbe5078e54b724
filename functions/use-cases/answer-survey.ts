import { createHash } from 'node:crypto';
import type { AnswerRepository } from '../adapters/answer-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import { NotFoundError, SurveyExpiredError } from '../domain/errors';
import { dueShardOf } from '../domain/schedule';
import type { AnswerInput, StoredAnswer } from '../schemas/answer';
import type { SurveyRecord } from '../schemas/survey';
import { SurveyToken } from '../schemas/survey';
import { surveyForLink } from './contact-status';

export interface AnswerSurveyDeps {
  readonly surveys: Pick<SurveyRepository, 'get'>;
  readonly answers: Pick<AnswerRepository, 'record'>;
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

/** The content of an answer (score, comment, reasons), so that a repeat of it is recognised. */
const keyOf = (answer: StoredAnswer) =>
  createHash('sha256')
    .update(JSON.stringify([answer.score, answer.comment ?? '', answer.reasons]))
    .digest('base64url');

/**
 * Records a customer's answer with one conditional write, and nothing else: the latest answer wins
 * and every answer is kept; a repeat of the current answer (a double click, a retried request, the
 * page's automatic save after a reload) changes nothing. The write itself is the event: the Surveys
 * table's stream brings it to the counting function (aggregates, customer record, follow-up), and the
 * tick re-queues any answer still uncounted after two minutes.
 */
export const answerSurvey = async (
  deps: AnswerSurveyDeps,
  token: string,
  input: AnswerInput,
): Promise<{ survey: SurveyRecord; answer: StoredAnswer; changed: boolean }> => {
  if (!SurveyToken.safeParse(token).success) throw new NotFoundError('This link is not valid.');
  const answer: StoredAnswer = {
    score: input.score,
    ...(input.comment !== undefined && { comment: input.comment }),
    reasons: [...new Set(input.reasons)].sort(),
    source: input.source,
    at: (deps.clock ?? (() => new Date()))().toISOString(),
  };
  const result = await deps.answers.record(token, answer, keyOf(answer), dueShardOf(token));
  if (result.outcome === 'missing') throw new NotFoundError('This link is not valid.');
  if (result.outcome === 'expired') throw new SurveyExpiredError('This survey has closed.');
  if (result.outcome === 'duplicate') {
    return { survey: result.survey, answer: result.survey.answer ?? answer, changed: false };
  }
  return { survey: result.survey, answer, changed: true };
};
