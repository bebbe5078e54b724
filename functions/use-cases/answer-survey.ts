import type { AnswerRepository } from '../adapters/answer-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import { answerKeyOf, isConfirmedByPerson, MAX_ANSWERS } from '../domain/answer-trust';
import { AnswerLimitError, NotFoundError, SurveyExpiredError } from '../domain/errors';
import { dueShardOf } from '../domain/schedule';
import { surveyKeyOf } from '../domain/survey-link';
import type { AnswerInput, StoredAnswer } from '../schemas/answer';
import type { SurveyRecord } from '../schemas/survey';
import { SurveyToken } from '../schemas/survey';
import { keyOfOtherLink, surveyForLink } from './contact-status';

export interface AnswerSurveyDeps {
  readonly surveys: Pick<SurveyRepository, 'get' | 'keyOfReminderLink'>;
  readonly answers: Pick<AnswerRepository, 'record' | 'noteHoneypot'>;
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
 * The answer the survey page shows again: the one that counts, else the latest not discarded as a
 * scanner's (a person's answer still on its way to being counted).
 */
export const lastAnswerShown = (survey: SurveyRecord) =>
  survey.answer ?? survey.answers?.findLast((answer) => answer.verdict?.kind !== 'discarded');

/**
 * Notes that the e-mail's hidden link was fetched (by a link scanner: people never see it), so that
 * automatic answers around it are discarded. Unknown links are a 404, like every survey link.
 */
export const noteHiddenLinkFetched = async (
  deps: Pick<AnswerSurveyDeps, 'surveys' | 'answers' | 'clock'>,
  token: string,
) => {
  const survey = await surveyForLink(deps, token);
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  if (!(await deps.answers.noteHoneypot(survey.token, at)))
    throw new NotFoundError('This link is not valid.');
  return survey;
};

/**
 * Records a customer's answer with one conditional write (a reminder's link: a lookup and two), and
 * nothing else: every answer is kept (up to `MAX_ANSWERS`), and a repeat of the latest (a double
 * click, a retried request, the page's automatic save after a reload) changes nothing. The write itself is the event: the Surveys table's
 * stream brings it to the counting function, which decides whether a person gave it (an automatic
 * save is `held` for a short time first) and counts the latest that did; the tick re-queues any
 * answer still uncounted after two minutes.
 */
export const answerSurvey = async (
  deps: AnswerSurveyDeps,
  token: string,
  input: AnswerInput,
): Promise<{ survey: SurveyRecord; answer: StoredAnswer; changed: boolean; held: boolean }> => {
  if (!SurveyToken.safeParse(token).success) throw new NotFoundError('This link is not valid.');
  const answer: StoredAnswer = {
    score: input.score,
    ...(input.comment !== undefined && { comment: input.comment }),
    reasons: [...new Set(input.reasons)].sort(),
    source: input.source,
    ...(input.source === 'auto' && input.signals !== undefined && { signals: input.signals }),
    at: (deps.clock ?? (() => new Date()))().toISOString(),
  };
  const held = !isConfirmedByPerson(answer);
  const answerKey = answerKeyOf(answer);
  const record = (key: string) => deps.answers.record(key, answer, answerKey, dueShardOf(key));
  // One conditional write for an invitation's link, which goes straight to its survey's key; only a
  // link that is not one (a reminder's, or one sent before keys were hashed) pays a lookup and a second.
  let result = await record(surveyKeyOf(token));
  if (result.outcome === 'missing') {
    const key = await keyOfOtherLink(deps.surveys, token);
    if (key !== undefined) result = await record(key);
  }
  if (result.outcome === 'missing') throw new NotFoundError('This link is not valid.');
  if (result.outcome === 'expired') throw new SurveyExpiredError('This survey has closed.');
  if (result.outcome === 'full') {
    throw new AnswerLimitError(
      `This survey has taken ${MAX_ANSWERS} answers, the most it keeps; the latest one counts.`,
    );
  }
  if (result.outcome === 'duplicate') return { survey: result.survey, answer, changed: false, held };
  return { survey: result.survey, answer, changed: true, held };
};
