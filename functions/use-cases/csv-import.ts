import pLimit from 'p-limit';
import type * as z from 'zod/mini';
import { ValidationError } from '../domain/errors';
import { csvRowToObject, readCsvHeader } from '../domain/registry';
import { describeIssues } from '../schemas/common';

/** One parsed CSV record and the line of the file it ends on. */
export interface CsvRecord {
  readonly line: number;
  readonly values: readonly string[];
  /** Why the record is not text (bytes invalid in the file's encoding): it is then rejected, never stored. */
  readonly invalidText?: string;
}

export type RowOutcome =
  | 'created'
  | 'updated'
  | 'unchanged'
  /** `field`: the field at fault, when it is one (e.g. `email` for an address another customer holds). */
  | { readonly rejected: string; readonly field?: string };

export interface ImportedRow<T> {
  readonly line: number;
  readonly item: T;
}

export interface ImportSpec<T> {
  readonly requiredColumns: readonly string[];
  /** Columns a file may have that are fields of their own (absent: the field is unset). */
  readonly optionalColumns?: readonly string[];
  readonly schema: z.ZodMiniType<T>;
  /** The row's identity; a second row with the same key in one file is rejected. */
  readonly keyName: string;
  readonly keyOf: (item: T) => string;
  /** Other values that must be unique within the file, such as e-mail addresses (`field`: its name). */
  readonly uniqueValues?: (item: T) => ReadonlyArray<readonly [label: string, value: string, field?: string]>;
  /** A rule that needs more than the row itself (e.g. the store must exist); returns the reason to reject. */
  readonly check?: (item: T) => string | undefined;
  /** Writes a batch of valid rows; must be idempotent, and returns one outcome per row in order. */
  readonly writeBatch: (rows: ReadonlyArray<ImportedRow<T>>) => Promise<RowOutcome[]>;
}

export interface RejectedRow {
  readonly line: number;
  readonly key?: string;
  readonly reason: string;
}

export interface ImportSummary {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportOptions {
  /** Rows written per batch. */
  readonly batchSize?: number;
  /** Batches written at the same time; bounds memory, since reading waits for a free slot. */
  readonly parallelBatches?: number;
  readonly onReject?: (row: RejectedRow) => void;
  readonly onProgress?: (summary: Readonly<ImportSummary>) => void;
}

/**
 * Streams CSV records into a registry: validates every row, rejects bad ones with their line and
 * reason, and writes the good ones in batches. Memory stays bounded by the batches in flight plus
 * one key per row for duplicate detection. Writes are idempotent, so an interrupted import can be run
 * again from the start.
 */
export const importCsv = async <T>(
  records: AsyncIterable<CsvRecord>,
  spec: ImportSpec<T>,
  { batchSize = 100, parallelBatches = 4, onReject, onProgress }: ImportOptions = {},
): Promise<ImportSummary> => {
  const summary: ImportSummary = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const reject = (row: RejectedRow) => {
    summary.rejected++;
    onReject?.(row);
  };
  const duplicates = createDuplicateCheck<T, number>(spec, (line) => `on line ${line}`);
  const slots = pLimit(parallelBatches);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  const flush = (rows: ImportedRow<T>[]) => {
    const written = slots(async () => {
      const outcomes = await spec.writeBatch(rows);
      outcomes.forEach((outcome, position) => {
        const row = rows[position] as ImportedRow<T>;
        if (typeof outcome === 'string') summary[outcome]++;
        else reject({ line: row.line, key: spec.keyOf(row.item), reason: outcome.rejected });
      });
      onProgress?.(summary);
    }).catch((error: unknown) => {
      failure ??= error;
    });
    inFlight.add(written);
    void written.finally(() => inFlight.delete(written));
  };

  let header: ReturnType<typeof readCsvHeader> | undefined;
  let batch: ImportedRow<T>[] = [];
  for await (const record of records) {
    if (failure !== undefined) break;
    if (header === undefined) {
      if (record.invalidText !== undefined) {
        throw new ValidationError(`line ${record.line}: bad header`, [record.invalidText]);
      }
      header = readCsvHeader(record.values, spec.requiredColumns, spec.optionalColumns);
      if (!header.ok) throw new ValidationError(`line ${record.line}: bad header`, header.problems);
      continue;
    }
    if (!header.ok) break;
    summary.read++;
    const accepted = validateRow(record, header.header, spec, duplicates);
    if ('reason' in accepted) {
      reject(accepted);
      continue;
    }
    batch.push(accepted);
    if (batch.length >= batchSize) {
      flush(batch);
      batch = [];
      while (slots.pendingCount > 0) await Promise.race(inFlight);
    }
  }
  if (header === undefined) throw new ValidationError('the file is empty: expected a header line', []);
  if (batch.length > 0) flush(batch);
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  onProgress?.(summary);
  return summary;
};

/** A duplicate found by `createDuplicateCheck`: the field at fault and the reason, naming the first row. */
export interface Duplicate {
  readonly field: string;
  readonly reason: string;
}

/**
 * Finds a second row with the key of an earlier row, or one of its unique values (an e-mail address),
 * within one file or one batch. `where` says where a row is (`on line 3`, `at index 2`). Rows are
 * remembered only once accepted, so a rejected row never blocks a later one.
 */
export const createDuplicateCheck = <T, Position>(
  spec: Pick<ImportSpec<T>, 'keyName' | 'keyOf' | 'uniqueValues'>,
  where: (position: Position) => string,
) => {
  const firstOfKey = new Map<string, Position>();
  const firstOfValue = new Map<string, { position: Position; key: string }>();
  return {
    find(item: T): Duplicate | undefined {
      const key = spec.keyOf(item);
      const earlier = firstOfKey.get(key);
      if (earlier !== undefined) {
        return {
          field: spec.keyName,
          reason: `duplicate ${spec.keyName} ${key} (first seen ${where(earlier)})`,
        };
      }
      for (const [label, value, field = label] of spec.uniqueValues?.(item) ?? []) {
        const owner = firstOfValue.get(`${label}\u0000${value}`);
        if (owner !== undefined) {
          return {
            field,
            reason: `duplicate ${label} ${value} (already used by ${owner.key} ${where(owner.position)})`,
          };
        }
      }
      return undefined;
    },
    remember(item: T, position: Position) {
      const key = spec.keyOf(item);
      firstOfKey.set(key, position);
      for (const [label, value] of spec.uniqueValues?.(item) ?? []) {
        firstOfValue.set(`${label}\u0000${value}`, { position, key });
      }
    },
  };
};

const validateRow = <T>(
  record: CsvRecord,
  header: Extract<ReturnType<typeof readCsvHeader>, { ok: true }>['header'],
  spec: ImportSpec<T>,
  duplicates: ReturnType<typeof createDuplicateCheck<T, number>>,
): ImportedRow<T> | RejectedRow => {
  const { line, values } = record;
  if (record.invalidText !== undefined) return { line, reason: record.invalidText };
  if (values.length !== header.width) {
    return { line, reason: `expected ${header.width} columns, found ${values.length}` };
  }
  const parsed = spec.schema.safeParse(
    csvRowToObject(header, values, spec.requiredColumns, spec.optionalColumns),
  );
  if (!parsed.success) return { line, reason: describeIssues(parsed.error.issues).join('; ') };
  const item = parsed.data;
  const key = spec.keyOf(item);
  const duplicate = duplicates.find(item);
  if (duplicate !== undefined) return { line, key, reason: duplicate.reason };
  const problem = spec.check?.(item);
  if (problem !== undefined) return { line, key, reason: problem };
  duplicates.remember(item, line);
  return { line, item };
};
