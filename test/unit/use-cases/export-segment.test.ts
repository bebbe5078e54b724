import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import type { SegmentRow } from '../../../functions/domain/segments';
import { segmentRows, writeSegmentFile } from '../../../functions/use-cases/export-segment';

const row = (comment: string, extra: Partial<SegmentRow> = {}): SegmentRow => ({
  customerId: 'C1',
  email: 'c1@example.com',
  firstName: 'Zoë',
  lastName: "O'Brien",
  storeId: 'S1',
  locale: 'fr',
  segment: 'detractor',
  score: 2,
  answeredAt: '2026-11-23T10:00:00.000Z',
  comment,
  reasons: 'staff price',
  contactStatus: 'subscribed',
  mayEmail: true,
  attributes: { tier: 'gold', city: '=cmd|calc' },
  ...extra,
});

const hostile = [
  'He said "never again", then left',
  'line one\nline two\r\nline three',
  '=HYPERLINK("http://evil.example","click me")',
  '+SUM(1,2)',
  '-1+1',
  '@cmd',
  'Très bien 👍 — 日本語, ok',
];

async function* rowsOf(rows: readonly SegmentRow[]) {
  yield* rows;
}

const write = async (rows: readonly SegmentRow[], options: Parameters<typeof writeSegmentFile>[2]) => {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const written = await writeSegmentFile(rowsOf(rows), sink, options);
  return { written, bytes: Buffer.concat(chunks) };
};

describe('writeSegmentFile', () => {
  it('writes hostile comments as CSV that parses back to the same text, formulas neutralised', async () => {
    const { written, bytes } = await write(
      hostile.map((comment) => row(comment)),
      { format: 'csv', attributeColumns: ['tier'] },
    );
    expect(written).toBe(hostile.length);
    const text = bytes.toString('utf8');
    expect(text.includes('\r\n')).toBe(true);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(hostile.length);
    expect(records.map((record) => record.comment)).toEqual(
      hostile.map((comment) => (/^[=+\-@]/.test(comment) ? `'${comment}` : comment)),
    );
    expect(records[0]).toMatchObject({
      firstName: 'Zoë',
      lastName: "O'Brien",
      'attribute:tier': 'gold',
      attributes: 'city==cmd|calc',
      mayEmail: 'true',
      score: '2',
    });
    // No cell of the file starts with a formula character.
    for (const record of records) {
      for (const cell of Object.values(record)) expect(cell).not.toMatch(/^[=+@]/);
    }
  });

  it('writes the bytes csv-stringify writes for the same records, line breaks always quoted', async () => {
    const awkward = [...hostile, '', 'a,b', 'lf\nonly', 'cr\ronly', '"', ' spaced ', 'tab\tinside'];
    const rows = awkward.map((comment, index) =>
      row(comment, { attributes: { note: awkward.at(-index - 1) ?? '' } }),
    );
    const { bytes } = await write(rows, { format: 'csv', bom: true, attributeColumns: ['note'] });
    const records = parse(bytes, { bom: true }) as string[][];
    expect(records.map((record) => record[9])).toEqual([
      'comment',
      ...rows.map((each) => each.comment.replace(/^([=+\-@])/, "'$1")),
    ]);
    // With CRLF records csv-stringify quotes a lone LF or CR only when told to; a spreadsheet splits
    // the row at a bare one, so the file always quotes them.
    expect(bytes.toString('utf8')).toBe(
      stringify(records, { bom: true, record_delimiter: 'windows', quote_record_delimiter: true }),
    );
  });

  it('starts with a UTF-8 byte order mark only when asked', async () => {
    expect((await write([row('ok')], { format: 'csv', bom: true })).bytes.subarray(0, 3)).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf]),
    );
    expect((await write([row('ok')], { format: 'csv' })).bytes.subarray(0, 10).toString()).toBe('customerId');
  });

  it('writes JSON Lines that keep the comment exactly', async () => {
    const { bytes } = await write(
      hostile.map((comment) => row(comment)),
      { format: 'jsonl' },
    );
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as SegmentRow).comment)).toEqual(hostile);
  });

  it('writes only the header for an empty segment', async () => {
    const { written, bytes } = await write([], { format: 'csv' });
    expect(written).toBe(0);
    expect(bytes.toString().trim().split('\r\n')).toHaveLength(1);
  });
});

describe('segmentRows', () => {
  it('reads every partition of the category page by page and filters each customer', async () => {
    const asked: string[] = [];
    const customers = {
      querySegment: async (
        shard: string,
        range: { from?: string; to?: string },
        startKey?: Record<string, unknown>,
      ) => {
        asked.push(`${shard}${startKey ? ' (page 2)' : ''} ${range.from ?? ''}..${range.to ?? ''}`);
        const base = {
          email: 'x@example.com',
          locale: 'en',
          contactStatus: 'subscribed' as const,
          attributes: {},
          surveyHistory: [],
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          latestScoreAt: '2026-11-01T00:00:00.000Z',
        };
        if (shard !== 'promoter#3') return { customers: [], nextKey: undefined };
        return startKey === undefined
          ? { customers: [{ ...base, customerId: 'A', storeId: 'S1', latestScore: 9 }], nextKey: { k: 1 } }
          : { customers: [{ ...base, customerId: 'B', storeId: 'S2', latestScore: 10 }], nextKey: undefined };
      },
    };
    const rows = [];
    for await (const exported of segmentRows(
      { customers },
      { segment: 'promoters', storeIds: new Set(['S2']), from: '2026-10-01', to: '2026-11-30' },
    ))
      rows.push(exported);
    expect(rows.map((exported) => exported.customerId)).toEqual(['B']);
    expect(asked).toHaveLength(17);
    expect(asked).toContain('promoter#3 (page 2) 2026-10-01T00:00:00.000Z..2026-11-30T23:59:59.999Z');
    expect(asked.every((entry) => entry.startsWith('promoter#'))).toBe(true);
  });
});
