import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { surveyKeyOf } from '../../../functions/domain/survey-link';
import { surveysTable } from '../../../functions/resources/tables';
import {
  anyAnswer,
  isOversized,
  query,
  randomHeaders,
  surveyTokens,
  unrecordableAnswer,
} from '../../support/fuzz-arbitraries';
import { expectCleanFigures, fuzz, type Probe, probe, trackWrites } from '../../support/fuzz-probe';
import { tokenOf, useFuzzWorld } from '../../support/fuzz-world';

/**
 * Fuzz suite, survey links: generated GET and POST requests to /s/{token}, with open, answered,
 * expired, unknown, strange and malformed tokens, and the one valid answer that may be written. Every
 * answer must be a clear 4xx (never a 5xx) unless the request is valid, and nothing may be written.
 * Fixed seeds: the same requests on every run (see test/support/fuzz-*.ts).
 */

useFuzzWorld('fuzz-survey', { detractors: true });

describe('access, bad input and attacks: survey links', () => {
  const writes = trackWrites();

  it('answers generated survey requests with clear 4xx and writes nothing', async () => {
    const getSurvey = fc
      .tuple(
        surveyTokens(['open', 'answered', 'expired', 'unknown', 'strange', 'malformed']),
        query,
        randomHeaders,
      )
      .map(
        ([{ kind, token }, search, headers]): Probe => ({
          label: `GET survey, ${kind} token`,
          method: 'GET',
          path: `/s/${token}${search}`,
          headers,
          allowed:
            kind === 'open' || kind === 'answered'
              ? [200]
              : kind === 'expired'
                ? [410]
                : kind === 'malformed'
                  ? [400]
                  : [400, 404],
          hostile: kind !== 'open' && kind !== 'answered',
        }),
      );
    const postUnrecordable = fc
      .tuple(surveyTokens(['open', 'answered']), unrecordableAnswer, randomHeaders)
      .map(
        ([{ kind, token }, { type, body }, headers]): Probe => ({
          label: `POST bad answer, ${kind} token, ${type}`,
          method: 'POST',
          path: `/s/${token}`,
          headers: { ...headers, 'content-type': type },
          body,
          allowed: [isOversized(body) ? 413 : 400],
          hostile: true,
        }),
      );
    const postElsewhere = fc
      .tuple(surveyTokens(['expired', 'unknown', 'strange', 'malformed']), anyAnswer, randomHeaders)
      .map(
        ([{ kind, token }, { type, body }, headers]): Probe => ({
          label: `POST answer, ${kind} token, ${type}`,
          method: 'POST',
          path: `/s/${token}`,
          headers: { ...headers, 'content-type': type },
          body,
          allowed:
            kind === 'malformed' ? [400] : isOversized(body) ? [413] : [400, kind === 'expired' ? 410 : 404],
          hostile: true,
        }),
      );
    await fuzz(getSurvey, 250, 1);
    await fuzz(postUnrecordable, 400, 2);
    await fuzz(postElsewhere, 300, 3);
  });

  it('records a valid answer given with one customer’s link on that survey only', async () => {
    const body = JSON.stringify({ score: 9, comment: 'Fine, thanks.' });
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    for (const changed of [true, false]) {
      const reply = await probe({
        label: 'the deliberate answer',
        method: 'POST',
        path: `/s/${tokenOf('C4')}`,
        headers,
        body,
        allowed: [200],
        hostile: false,
      });
      expect(JSON.parse(reply.body)).toEqual({ score: 9, category: 'promoter', changed, held: false });
    }
  });

  it('wrote nothing but that answer: no other item, no queued task, no e-mail', async () => {
    await writes.expectWrittenOnly(
      `changed ${surveysTable.id} ${JSON.stringify({ S: surveyKeyOf(tokenOf('C4')) })}`,
    );
  });

  it('prints its figures, with nothing lost, no 5xx, no write and nothing unescaped', () => {
    expectCleanFigures('survey', 950);
  });
});
