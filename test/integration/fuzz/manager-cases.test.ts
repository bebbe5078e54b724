import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  anyKey,
  deepJson,
  jsonObject,
  malformedSegment,
  pollution,
  query,
  randomHeaders,
  text,
} from '../../support/fuzz-arbitraries';
import { hostileText, percentEncode, xssComment } from '../../support/fuzz-hostile';
import { expectCleanFigures, fuzz, type Probe, trackWrites } from '../../support/fuzz-probe';
import { bearer, caseOf, seesOf, useFuzzWorld, type Who } from '../../support/fuzz-world';

/**
 * Fuzz suite, the managers' cases API: generated reads, updates and lists of cases by each kind of
 * caller, answered within the caller's stores. Every answer must be a clear 4xx (never a 5xx) unless
 * the request is valid, and nothing may be written. Fixed seeds: the same requests on every run (see
 * test/support/fuzz-*.ts).
 */

useFuzzWorld('fuzz-manager-cases', { detractors: true });

describe('access, bad input and attacks: manager cases', () => {
  const writes = trackWrites();

  it('answers generated manager requests within the caller’s stores, and writes nothing', async () => {
    const caseIds = fc.oneof(
      fc.constantFrom(
        { kind: 'S1 case', id: caseOf.get('C1') ?? '' },
        { kind: 'S2 case', id: caseOf.get('C5') ?? '' },
      ),
      fc.stringMatching(/^[A-Za-z0-9_-]{16}$/).map((id) => ({ kind: 'unknown', id })),
      fc
        .oneof(text.map(percentEncode), fc.constantFrom(...hostileText).map(percentEncode))
        .filter((id) => id !== '')
        .map((id) => ({ kind: 'unknown', id })),
      fc.integer({ min: 1025, max: 6000 }).map((length) => ({ kind: 'unknown', id: 'c'.repeat(length) })),
      fc.integer({ min: 700, max: 2000 }).map((length) => ({ kind: 'unknown', id: '%C3%A9'.repeat(length) })),
      malformedSegment.map((id) => ({ kind: 'malformed', id })),
    );
    const who = fc.constantFrom<Who>('s1', 's2', 'marketing', 'customer', 'noEmail');
    const statusOfCase = (user: Who, kind: string) =>
      kind === 'malformed'
        ? 400
        : kind === 'S1 case'
          ? user === 's1'
            ? 200
            : 403
          : kind === 'S2 case'
            ? user === 's2'
              ? 200
              : 403
            : 404;
    const invalidUpdate = fc.oneof(
      fc
        .tuple(
          fc
            .oneof(text, fc.jsonValue({ maxDepth: 2 }))
            .filter((outcome) => !['reached', 'voicemail', 'no-answer'].includes(outcome as string)),
          fc.option(fc.oneof(text, fc.jsonValue({ maxDepth: 2 }))),
          fc.array(fc.tuple(anyKey, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
        )
        .map(([outcome, note, extra]) =>
          jsonObject([
            ...extra,
            ['note', note ?? undefined],
            ['outcome', outcome],
            ['requestId', 'fuzz-request-1'],
          ]),
        ),
      fc.constantFrom(
        '{}',
        '',
        'null',
        '[]',
        'not json',
        '{"note":"   "}',
        '{"outcome":"reached"}',
        '{"outcome":"reached","requestId":"short"}',
        '{"outcome":"reached","requestId":"fuzz-request-1"',
        'outcome=reached',
      ),
      fc.constant(
        JSON.stringify({ outcome: 'reached', note: 'n'.repeat(2001), requestId: 'fuzz-request-1' }),
      ),
      fc.constant(JSON.stringify({ outcome: 'x', note: 'n'.repeat(1024 * 1024) })),
      pollution,
      deepJson,
    );
    const validUpdate = fc
      .record({
        outcome: fc.constantFrom('reached', 'voicemail', 'no-answer'),
        note: fc.constantFrom('Called.', xssComment),
        requestId: fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      })
      .map((update) => JSON.stringify(update));
    const readCase = fc.tuple(who, caseIds, query, randomHeaders).map(
      ([user, { kind, id }, search, headers]): Probe => ({
        label: `${user} GET ${kind}`,
        method: 'GET',
        path: `/m/cases/${id}${search}`,
        headers: { ...headers, authorization: bearer[user] },
        allowed: [statusOfCase(user, kind)],
        hostile: statusOfCase(user, kind) !== 200,
        sees: seesOf[user],
      }),
    );
    const updateCase = fc
      .tuple(
        who,
        caseIds,
        fc.oneof(
          invalidUpdate.map((body) => ({ valid: false, body })),
          validUpdate.map((body) => ({ valid: true, body })),
        ),
        randomHeaders,
      )
      // A valid update by the case's own manager is a write: not something to fuzz.
      .filter(([user, { kind }, { valid }]) => !(valid && statusOfCase(user, kind) === 200))
      .map(
        ([user, { kind, id }, { valid, body }, headers]): Probe => ({
          label: `${user} POST ${valid ? 'valid' : 'invalid'} call to ${kind}`,
          method: 'POST',
          path: `/m/cases/${id}/calls`,
          headers: { ...headers, authorization: bearer[user], 'content-type': 'application/json' },
          body,
          allowed: [kind === 'malformed' ? 400 : valid ? statusOfCase(user, kind) : 400],
          hostile: true,
          sees: seesOf[user],
        }),
      );
    const listCases = fc.tuple(who, query, randomHeaders).map(
      ([user, search, headers]): Probe => ({
        label: `${user} lists cases`,
        method: 'GET',
        path: `/m/cases${search}`,
        headers: { ...headers, authorization: bearer[user] },
        allowed: [200],
        hostile: false,
        sees: seesOf[user],
      }),
    );
    await fuzz(readCase, 200, 8);
    await fuzz(updateCase, 250, 9);
    await fuzz(listCases, 60, 10);
  });

  it('wrote nothing: no item, no queued task, no e-mail', async () => {
    await writes.expectWrittenOnly();
  });

  it('prints its figures, with nothing lost, no 5xx, no write and nothing unescaped', () => {
    expectCleanFigures('manager-cases', 510);
  });
});
