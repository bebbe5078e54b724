import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, SurveyExpiredError } from '../../../functions/domain/errors';
import { surveyKeyOf } from '../../../functions/domain/survey-link';
import type { AnswerInput } from '../../../functions/schemas/answer';
import {
  type AnswerSurveyDeps,
  answerSurvey,
  noteHiddenLinkFetched,
  openSurvey,
} from '../../../functions/use-cases/answer-survey';
import { fixedClock } from '../../support/in-memory-effects';
import { createSurveyTables, type SurveyTables, sentSurvey } from '../../support/in-memory-surveys';

/** The invitation's and the reminder's link tokens; the survey keeps only their hashes. */
const invitationLink = 'tok-invitation-aaaaaaaa';
const reminderLink = 'tok-reminder-aaaaaaaaaa';
const key = surveyKeyOf(invitationLink);
const answer: AnswerInput = { score: 9, reasons: [], source: 'form' };

let tables: SurveyTables;
let deps: AnswerSurveyDeps;

beforeEach(() => {
  tables = createSurveyTables();
  tables.surveys.set(key, sentSurvey({ token: key, reminderLinkKey: surveyKeyOf(reminderLink) }));
  deps = {
    surveys: tables.surveyRepository,
    answers: tables.answerRepository,
    clock: fixedClock('2026-11-03T08:00:00.000Z').clock,
  };
});

describe('answerSurvey', () => {
  it('records an answer through the invitation’s link with one write to the survey’s key', async () => {
    const { survey, changed } = await answerSurvey(deps, invitationLink, answer);

    expect(changed).toBe(true);
    expect(survey.token).toBe(key);
    expect(tables.calls).toEqual([`answers.record ${key}`]);
    expect(tables.surveys.get(key)?.answers?.map(({ score }) => score)).toEqual([9]);
  });

  it('records an answer through the reminder’s link on the same survey', async () => {
    const { survey } = await answerSurvey(deps, reminderLink, answer);

    expect(survey.token).toBe(key);
    expect(tables.calls).toEqual([`answers.record ${surveyKeyOf(reminderLink)}`, `answers.record ${key}`]);
    expect(tables.surveys.get(key)?.version).toBe(1);
  });

  it('records an answer through a link sent before keys were hashed, keyed by its raw token', async () => {
    const legacy = 'LegacyTokenAAAAAAAAAAA';
    tables.surveys.set(legacy, sentSurvey({ token: legacy }));

    expect((await answerSurvey(deps, legacy, answer)).survey.token).toBe(legacy);
  });

  it.each([
    ['an unknown link', 'tok-unknown-aaaaaaaaaaa'],
    ['the key the survey is stored under', key],
    ['the reminder link’s stored key', surveyKeyOf(reminderLink)],
    ['a malformed link', '../x'],
  ])('answers %s with a 404 and records nothing', async (_, link) => {
    await expect(answerSurvey(deps, link, answer)).rejects.toBeInstanceOf(NotFoundError);

    expect(tables.surveys.get(key)?.answers).toBeUndefined();
  });

  it('refuses an answer after the survey closed, through either link', async () => {
    tables.surveys.set(
      key,
      sentSurvey({
        token: key,
        reminderLinkKey: surveyKeyOf(reminderLink),
        expiresAt: '2026-11-02T00:00:00.000Z',
      }),
    );

    await expect(answerSurvey(deps, invitationLink, answer)).rejects.toBeInstanceOf(SurveyExpiredError);
    await expect(answerSurvey(deps, reminderLink, answer)).rejects.toBeInstanceOf(SurveyExpiredError);
  });
});

describe('openSurvey and noteHiddenLinkFetched', () => {
  it('open the survey behind either link, and no survey behind its key', async () => {
    expect((await openSurvey(deps, invitationLink)).token).toBe(key);
    expect((await openSurvey(deps, reminderLink)).token).toBe(key);
    await expect(openSurvey(deps, key)).rejects.toBeInstanceOf(NotFoundError);

    await noteHiddenLinkFetched(deps, reminderLink);
    expect(tables.surveys.get(key)?.honeypotAt).toBe('2026-11-03T08:00:00.000Z');
  });
});
