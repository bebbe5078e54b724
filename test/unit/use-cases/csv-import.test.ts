import { describe, expect, it } from 'vitest';
import { recordsOf } from '../../../cli/csv-files';
import { ValidationError } from '../../../functions/domain/errors';
import { StoreProfile, storeCsvColumns } from '../../../functions/schemas/store';
import {
  type ImportSpec,
  importCsv,
  type RejectedRow,
  type RowOutcome,
} from '../../../functions/use-cases/csv-import';

const header = [...storeCsvColumns];
const store = (id: string, managerEmail = `m.${id}@example.com`) => [
  id,
  `Store ${id}`,
  managerEmail,
  '',
  'Europe/Paris',
];

/** A spec over stores whose writes are recorded in `written`. */
const recordingSpec = (written: string[][], outcome: RowOutcome = 'created'): ImportSpec<StoreProfile> => ({
  requiredColumns: storeCsvColumns,
  schema: StoreProfile,
  keyName: 'storeId',
  keyOf: (item) => item.storeId,
  uniqueValues: (item) => [['e-mail', item.managerEmail ?? '']],
  check: (item) => (item.storeId === 'CLOSED' ? 'store is closed' : undefined),
  writeBatch: async (rows) => {
    written.push(rows.map((row) => row.item.storeId));
    return rows.map(() => outcome);
  },
});

const run = async (rows: string[][], spec: ImportSpec<StoreProfile>, batchSize = 2) => {
  const rejected: RejectedRow[] = [];
  const summary = await importCsv(recordsOf(rows), spec, {
    batchSize,
    onReject: (row) => rejected.push(row),
  });
  return { summary, rejected };
};

describe('importCsv', () => {
  it('writes every valid row in batches and counts the outcomes', async () => {
    const written: string[][] = [];
    const { summary, rejected } = await run(
      [header, store('A'), store('B'), store('C')],
      recordingSpec(written),
    );
    expect(written.flat().sort()).toEqual(['A', 'B', 'C']);
    expect(written.every((batch) => batch.length <= 2)).toBe(true);
    expect(summary).toEqual({ read: 3, created: 3, updated: 0, unchanged: 0, rejected: 0 });
    expect(rejected).toEqual([]);
  });

  it('rejects bad rows with their line numbers and reasons, and still writes the good ones', async () => {
    const written: string[][] = [];
    const { summary, rejected } = await run(
      [
        header,
        store('A'), // line 2
        ['B', 'Store B', 'not-an-email', '', 'Europe/Paris'], // line 3
        store('A', 'other@example.com'), // line 4: duplicate id
        store('D', 'm.A@example.com'), // line 5: duplicate e-mail
        ['E', 'Store E'], // line 6: short row
        store('CLOSED'), // line 7: rejected by check
        store('G'), // line 8
      ],
      recordingSpec(written),
    );
    expect(written.flat().sort()).toEqual(['A', 'G']);
    expect(rejected).toEqual([
      { line: 3, reason: 'managerEmail: must be a valid e-mail address' },
      { line: 4, key: 'A', reason: 'duplicate storeId A (first seen on line 2)' },
      { line: 5, key: 'D', reason: 'duplicate e-mail m.a@example.com (already used by A on line 2)' },
      { line: 6, reason: 'expected 5 columns, found 2' },
      { line: 7, key: 'CLOSED', reason: 'store is closed' },
    ]);
    expect(summary).toMatchObject({ read: 7, created: 2, rejected: 5 });
  });

  it('counts a row the writer refuses as rejected', async () => {
    const { summary, rejected } = await run([header, store('A')], recordingSpec([], { rejected: 'taken' }));
    expect(summary).toMatchObject({ created: 0, rejected: 1 });
    expect(rejected).toEqual([{ line: 2, key: 'A', reason: 'taken' }]);
  });

  it('refuses a file whose header lacks a column, before writing anything', async () => {
    const written: string[][] = [];
    const attempt = run([['storeId', 'name'], store('A')], recordingSpec(written));
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      issues: expect.arrayContaining(['missing column(s): managerEmail, regionalManagerEmail, timezone']),
    });
    expect(written).toEqual([]);
  });

  it('rejects a record that is not text with its line, and imports the others', async () => {
    const written: string[][] = [];
    const rejected: RejectedRow[] = [];
    const records = async function* () {
      yield { line: 1, values: header };
      yield { line: 2, values: store('A') };
      yield { line: 3, values: store('B\uFFFD'), invalidText: 'storeId: bytes that are not valid UTF-8' };
      yield { line: 4, values: store('C') };
    };
    const summary = await importCsv(records(), recordingSpec(written), {
      onReject: (row) => rejected.push(row),
    });
    expect(written.flat()).toEqual(['A', 'C']);
    expect(rejected).toEqual([{ line: 3, reason: 'storeId: bytes that are not valid UTF-8' }]);
    expect(summary).toMatchObject({ read: 3, created: 2, rejected: 1 });
  });

  it('refuses a header that is not text', async () => {
    const records = async function* () {
      yield { line: 1, values: header, invalidText: 'column 2: bytes that are not valid UTF-8' };
      yield { line: 2, values: store('A') };
    };
    await expect(importCsv(records(), recordingSpec([]))).rejects.toMatchObject({
      message: 'line 1: bad header',
      issues: ['column 2: bytes that are not valid UTF-8'],
    });
  });

  it('refuses an empty file', async () => {
    await expect(run([], recordingSpec([]))).rejects.toThrow('the file is empty');
  });

  it('stops reading and reports the error when a write fails', async () => {
    const spec: ImportSpec<StoreProfile> = {
      ...recordingSpec([]),
      writeBatch: async () => {
        throw new Error('table is gone');
      },
    };
    await expect(run([header, store('A'), store('B'), store('C')], spec)).rejects.toThrow('table is gone');
  });

  it('never has more batches in flight than allowed', async () => {
    let inFlight = 0;
    let peak = 0;
    const spec: ImportSpec<StoreProfile> = {
      ...recordingSpec([]),
      writeBatch: async (rows) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return rows.map(() => 'created' as const);
      },
    };
    const rows = [header, ...Array.from({ length: 40 }, (_, index) => store(`S${index}`))];
    const summary = await importCsv(recordsOf(rows), spec, { batchSize: 2, parallelBatches: 3 });
    expect(summary.created).toBe(40);
    expect(peak).toBe(3);
  });
});
