import { readCsv } from '../adapters/csv-reader';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { ImportFiles } from '../adapters/import-files';
import type { ImportJobRepository } from '../adapters/import-job-repository';
import type { StoreRepository } from '../adapters/store-repository';
import { ValidationError } from '../domain/errors';
import { BULK_FIRST_SURVEY_SPREAD_DAYS } from '../domain/schedule';
import type { ImportChunkTask, ImportJob } from '../schemas/bulk-import';
import { customerCsvColumns } from '../schemas/customer';
import { chunkRejectsKey, rejectsKeyOf } from './bulk-import';
import type { CsvRecord, RejectedRow } from './csv-import';
import { importCustomers } from './import-customers';

export interface ChunkWorkerDeps {
  readonly jobs: ImportJobRepository;
  readonly files: ImportFiles;
  readonly customers: CustomerRepository;
  readonly stores: Pick<StoreRepository, 'listIds'>;
  readonly now?: () => Date;
}

/**
 * A chunk's records: the job's header line, then the chunk's bytes, read by the same CSV reader as a
 * local import (so quoted fields may span lines), numbered with the file's line numbers.
 */
async function* chunkRecords(
  job: ImportJob,
  bytes: AsyncIterable<Uint8Array>,
  firstLine: number,
): AsyncGenerator<CsvRecord> {
  async function* withHeader() {
    yield Buffer.from(job.header, 'base64');
    yield* bytes;
  }
  const source = readCsv(withHeader(), {
    requiredColumns: customerCsvColumns,
    encoding: job.encoding,
  });
  // The header is line 1 of what is read; the chunk's first record is on line `firstLine` of the file.
  const offset = firstLine - 2;
  let header = true;
  for await (const record of source.records) {
    yield header ? record : { ...record, line: record.line + offset };
    header = false;
  }
}

/**
 * A worker's part: imports one chunk through the same use case as a local import, writes its rejected
 * rows next to the file, and counts the chunk in the job once. The worker that counts the last chunk
 * merges the rejects files. A chunk imported again (a crashed worker's message redelivered) writes no
 * customer twice: each row's customer carries the row's mark (`importCustomers` with `importJob`).
 */
export const importChunk = async (deps: ChunkWorkerDeps, task: ImportChunkTask) => {
  const job = await deps.jobs.get(task.jobId);
  if (job === undefined) throw new Error(`import job ${task.jobId} not found`);
  if (job.status !== 'importing') return job;
  if (job.countedChunks?.includes(task.chunk)) return finishIfComplete(deps, job);

  const rejects: RejectedRow[] = [];
  const bytes = await deps.files.readRange(job.bucket, job.key, task.start, task.end);
  let summary: Awaited<ReturnType<typeof importCustomers>>;
  try {
    summary = await importCustomers(
      chunkRecords(job, bytes, task.firstLine),
      {
        customers: deps.customers,
        stores: deps.stores,
        now: deps.now,
        firstSurveySpreadDays: BULK_FIRST_SURVEY_SPREAD_DAYS,
        importJob: job.jobId,
      },
      { onReject: (row) => rejects.push(row) },
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // A bad header: every chunk would fail alike, so the job fails, saying why.
    const failure = `${error.message}: ${error.issues.join('; ')}`;
    await deps.jobs.finish(job.jobId, { status: 'failed', failure }, new Date().toISOString());
    return { ...job, status: 'failed' as const, failure };
  }
  if (rejects.length > 0) {
    rejects.sort((a, b) => a.line - b.line);
    await deps.files.write(job.bucket, chunkRejectsKey(job.key, task.chunk), rejectsCsv(rejects));
  }
  const { job: counted } = await deps.jobs.countChunk(job.jobId, task.chunk, summary);
  return finishIfComplete(deps, counted);
};

/**
 * A CSV field, quoted when it holds a delimiter, quote or line break (RFC 4180). Written by hand
 * rather than with csv-stringify, whose 11 KB would push the chunk worker past the 400 KB bundle budget.
 */
const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const rejectsCsv = (rows: readonly RejectedRow[]) =>
  rows.map((row) => `${[row.line, row.key ?? '', row.reason].map(csvField).join(',')}\r\n`).join('');

/** Once every chunk is counted: merges the chunks' rejects into one file and marks the job done. */
const finishIfComplete = async (deps: ChunkWorkerDeps, job: ImportJob): Promise<ImportJob> => {
  if (job.status !== 'importing' || job.chunksDone < job.chunksTotal) return job;
  let rejectsKey: string | undefined;
  if ((job.rejectChunks ?? []).length > 0) {
    rejectsKey = rejectsKeyOf(job.key);
    const parts = ['line,key,reason\r\n'];
    for (const chunk of job.rejectChunks ?? []) {
      parts.push(await deps.files.readText(job.bucket, chunkRejectsKey(job.key, chunk)));
    }
    await deps.files.write(job.bucket, rejectsKey, parts.join(''));
  }
  const finishedAt = (deps.now ?? (() => new Date()))().toISOString();
  await deps.jobs.finish(job.jobId, { status: 'done', ...(rejectsKey && { rejectsKey }) }, finishedAt);
  return { ...job, status: 'done', finishedAt, ...(rejectsKey && { rejectsKey }) };
};
