import fc from 'fast-check';
import { describe, it } from 'vitest';
import { addDays } from '../../../functions/domain/schedule';
import { segmentNames } from '../../../functions/domain/segments';
import {
  anyKey,
  deepJson,
  jsonObject,
  jsonTypes,
  malformedSegment,
  pollution,
  randomHeaders,
  text,
  textual,
  wrongTypes,
} from '../../support/fuzz-arbitraries';
import { formOf, percentEncode } from '../../support/fuzz-hostile';
import { expectCleanFigures, fuzz, type Probe, trackWrites } from '../../support/fuzz-probe';
import { bearer, seesOf, useFuzzWorld, type Who, world } from '../../support/fuzz-world';

/**
 * Fuzz suite, reports, the dashboard and exports: generated queries, export requests and job look-ups
 * by each kind of caller, answered within the caller's stores. Every answer must be a clear 4xx (never
 * a 5xx) unless the request is valid, and nothing may be written. Fixed seeds: the same requests on
 * every run (see test/support/fuzz-*.ts).
 */

useFuzzWorld('fuzz-reports-exports', { detractors: true });

describe('access, bad input and attacks: reports and exports', () => {
  const writes = trackWrites();

  it('answers generated report and export requests within the caller’s stores, and writes nothing', async () => {
    const who = fc.constantFrom<Who>('s1', 's2', 'marketing', 'customer', 'noEmail');
    const day = fc.oneof(
      fc
        .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      fc.constantFrom(
        '2026-02-30',
        '0000-00-00',
        '9999-99-99',
        '2026-1-1',
        'yesterday',
        '',
        '2026-01-01T00:00:00Z',
      ),
      text,
    );
    const reportQuery = fc
      .record(
        {
          range: fc.oneof(
            fc.tuple(day, day),
            fc
              .tuple(
                fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
                fc.integer({ min: 0, max: 2100 }),
              )
              .map(
                ([from, days]) =>
                  [from.toISOString().slice(0, 10), addDays(from, days).toISOString().slice(0, 10)] as const,
              ),
          ),
          by: fc.oneof(fc.constantFrom('day', 'week', 'month', 'year', 'DAY'), text),
          store: fc.oneof(fc.constantFrom('S1', 'S2', 'S9', 'S1/../S2'), text),
          extra: fc.array(fc.tuple(anyKey, text), { maxLength: 3 }),
        },
        { requiredKeys: ['extra'] },
      )
      .map(({ range, by, store, extra }) => ({
        store,
        search: formOf([
          ...extra,
          ...(range
            ? ([
                ['from', range[0]],
                ['to', range[1]],
              ] as const)
            : []),
          ...(by === undefined ? [] : ([['by', by]] as const)),
          ...(store === undefined ? [] : ([['store', store]] as const)),
        ]),
      }));
    const report = fc
      .tuple(who, fc.constantFrom('/r/report', '/r/dashboard'), reportQuery, randomHeaders)
      .map(
        ([user, where, { store, search }, headers]): Probe => ({
          label: `${user} GET ${where} for ${store ?? 'every store'}`,
          method: 'GET',
          path: `${where}?${search}`,
          headers: { ...headers, authorization: bearer[user] },
          allowed:
            store !== undefined && seesOf[user] !== 'all' && !seesOf[user].includes(store)
              ? [400, 403]
              : [200, 400, 403],
          hostile: true,
          sees: seesOf[user],
        }),
      );
    const invalidExport = fc.oneof(
      fc
        .tuple(
          fc
            .oneof(text, fc.jsonValue({ maxDepth: 2 }))
            .filter((segment) => !(segmentNames as readonly unknown[]).includes(segment)),
          fc.array(fc.tuple(anyKey, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
        )
        .map(([segment, extra]) => jsonObject([...extra, ['segment', segment]])),
      fc.constantFrom(
        '',
        'null',
        '[]',
        '{}',
        'segment=promoters',
        '{"segment":"promoters"',
        '{"segment":"promoters","format":"xls"}',
      ),
      fc.constant(
        JSON.stringify({ segment: 'promoters', stores: Array.from({ length: 501 }, (_, n) => `S${n}`) }),
      ),
      fc.constant(JSON.stringify({ segment: 'promoters', attributeColumns: ['x'.repeat(1024 * 1024)] })),
      fc.constant(JSON.stringify({ segment: 'promoters', from: '2026-05-01', to: '2026-01-01' })),
      pollution,
      deepJson,
    );
    const validExport = fc
      .record({ segment: fc.constantFrom(...segmentNames), format: fc.constantFrom('csv', 'jsonl') })
      .map((request) => JSON.stringify(request));
    const startExport = fc
      .tuple(
        who,
        fc.oneof(
          invalidExport.map((body) => ({ valid: false, body })),
          validExport.map((body) => ({ valid: true, body })),
        ),
        fc.constantFrom(...jsonTypes, ...wrongTypes),
        randomHeaders,
      )
      // A valid request by marketing starts a job: a write, not something to fuzz.
      .filter(([user, { valid }]) => !(valid && user === 'marketing'))
      .map(
        ([user, { valid, body }, type, headers]): Probe => ({
          label: `${user} POST ${valid ? 'valid' : 'invalid'} export`,
          method: 'POST',
          path: '/r/exports',
          headers: { ...headers, authorization: bearer[user], 'content-type': type },
          body,
          // A body of a binary content type reaches the function base64-encoded, so it is not JSON.
          allowed: [valid && textual(type) ? 403 : 400],
          hostile: true,
          sees: seesOf[user],
        }),
      );
    const exportStatus = fc
      .tuple(
        who,
        fc.oneof(
          fc.constant({ kind: 'job', id: world.exportJobId }),
          fc.stringMatching(/^[A-Za-z0-9_-]{16}$/).map((id) => ({ kind: 'unknown', id })),
          text
            .map(percentEncode)
            .filter((id) => id !== '')
            .map((id) => ({ kind: 'unknown', id })),
          fc.integer({ min: 1025, max: 6000 }).map((length) => ({ kind: 'unknown', id: 'j'.repeat(length) })),
          malformedSegment.map((id) => ({ kind: 'malformed', id })),
        ),
        randomHeaders,
      )
      .map(
        ([user, { kind, id }, headers]): Probe => ({
          label: `${user} GET export ${kind}`,
          method: 'GET',
          path: `/r/exports/${id}`,
          headers: { ...headers, authorization: bearer[user] },
          allowed: [kind === 'malformed' ? 400 : user !== 'marketing' ? 403 : kind === 'job' ? 200 : 404],
          hostile: !(user === 'marketing' && kind === 'job'),
          sees: seesOf[user],
        }),
      );
    await fuzz(report, 250, 11);
    await fuzz(startExport, 200, 12);
    await fuzz(exportStatus, 120, 13);
  });

  it('wrote nothing: no item, no queued task, no e-mail', async () => {
    await writes.expectWrittenOnly();
  });

  it('prints its figures, with nothing lost, no 5xx, no write and nothing unescaped', () => {
    expectCleanFigures('reports-exports', 570);
  });
});
