import fc from 'fast-check';
import { describe, it } from 'vitest';
import { anyAnswer, query, randomHeaders, surveyTokens } from '../../support/fuzz-arbitraries';
import { expectCleanFigures, fuzz, type Probe, trackWrites } from '../../support/fuzz-probe';
import { useFuzzWorld } from '../../support/fuzz-world';

/**
 * Fuzz suite, unsubscribe links: generated GET and POST requests to /u/{token}, none of which may
 * unsubscribe anyone. Every answer must be a clear 4xx (never a 5xx) unless the request is valid, and
 * nothing may be written. Fixed seeds: the same requests on every run (see test/support/fuzz-*.ts).
 */

useFuzzWorld('fuzz-unsubscribe', { detractors: true });

describe('access, bad input and attacks: unsubscribe links', () => {
  const writes = trackWrites();

  it('answers generated unsubscribe requests without unsubscribing anyone', async () => {
    const getLink = fc
      .tuple(
        surveyTokens(['open', 'answered', 'expired', 'unknown', 'strange', 'malformed']),
        query,
        randomHeaders,
      )
      .map(
        ([{ kind, token }, search, headers]): Probe => ({
          label: `GET unsubscribe, ${kind} token`,
          method: 'GET',
          path: `/u/${token}${search}`,
          headers,
          allowed: ['open', 'answered', 'expired'].includes(kind)
            ? [200]
            : kind === 'malformed'
              ? [400]
              : [400, 404],
          hostile: !['open', 'answered', 'expired'].includes(kind),
        }),
      );
    const postLink = fc
      .tuple(surveyTokens(['unknown', 'strange', 'malformed']), anyAnswer, randomHeaders)
      .map(
        ([{ kind, token }, { type, body }, headers]): Probe => ({
          label: `POST unsubscribe, ${kind} token`,
          method: 'POST',
          path: `/u/${token}`,
          headers: { ...headers, 'content-type': type },
          body,
          allowed: kind === 'malformed' ? [400] : [400, 404],
          hostile: true,
        }),
      );
    await fuzz(getLink, 150, 4);
    await fuzz(postLink, 150, 5);
  });

  it('wrote nothing: no item, no queued task, no e-mail', async () => {
    await writes.expectWrittenOnly();
  });

  it('prints its figures, with nothing lost, no 5xx, no write and nothing unescaped', () => {
    expectCleanFigures('unsubscribe', 300);
  });
});
