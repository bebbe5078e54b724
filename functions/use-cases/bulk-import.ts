import { createHash } from 'node:crypto';
import type { ImportFiles } from '../adapters/import-files';
import type { ImportJobRepository } from '../adapters/import-job-repository';
import { encodingOfByteOrderMark, type TextEncoding, utf8OrWindows1252 } from '../domain/csv-format';
import { ChunkPlanner } from '../domain/import-chunks';
import type { ImportChunkTask, ImportJob } from '../schemas/bulk-import';

/** Where bulk import files are dropped in the bucket. */
export const importsPrefix = 'imports/';
/** Planned chunk size: about 45,000 customer rows, a minute or so of one worker's writes. */
export const defaultChunkBytes = 4 * 1024 * 1024;

/** A chunk's rejected rows, next to the file: `imports/customers.csv.rejects/00003.csv`. */
export const chunkRejectsKey = (key: string, chunk: number) =>
  `${key}.rejects/${String(chunk).padStart(5, '0')}.csv`;
/** All the rejected rows of a file, merged in line order once every chunk is done. */
export const rejectsKeyOf = (key: string) => `${key}.rejects.csv`;
/** Files the splitter leaves alone: its own rejects files, which land in the same prefix. */
export const isImportFile = (key: string) =>
  key.startsWith(importsPrefix) && !key.includes('.rejects.csv') && !key.includes('.rejects/');

/**
 * One job per version of a file: the same S3 event delivered twice finds the same job. Prefixed, so
 * that it never starts with a dash (which a command line reads as an option).
 */
export const importJobIdOf = (key: string, eTag: string) =>
  `imp_${createHash('sha256')
    .update(`${key}\u0000${eTag.replaceAll('"', '')}`)
    .digest('base64url')
    .slice(0, 22)}`;

export interface SplitterDeps {
  readonly jobs: ImportJobRepository;
  readonly files: ImportFiles;
  readonly chunks: { sendAll(tasks: readonly ImportChunkTask[]): Promise<void> };
  readonly now?: () => Date;
  readonly chunkBytes?: number;
}

/** Bytes read from a file's first non-ASCII byte to tell UTF-8 from Windows-1252 (as the local import). */
const encodingSample = 64 * 1024;

/**
 * The splitter: reads a file dropped in `imports/` once, plans its chunks (see `import-chunks.ts`),
 * records the job and queues one task per chunk. Safe to run again for the same
 * file version: the job is created once, and chunks queued twice are imported once.
 */
export const startBulkImport = async (
  deps: SplitterDeps,
  { bucket, key, eTag: eventETag }: { bucket: string; key: string; eTag?: string },
): Promise<ImportJob | undefined> => {
  if (!isImportFile(key)) return undefined;
  // A redelivered event of a job already planned and finished: nothing to read again.
  if (eventETag !== undefined) {
    const known = await deps.jobs.get(importJobIdOf(key, eventETag));
    if (known !== undefined && known.status !== 'importing') return known;
  }
  const now = deps.now ?? (() => new Date());
  const planner = new ChunkPlanner(deps.chunkBytes ?? defaultChunkBytes);
  const { body, eTag } = await deps.files.read(bucket, key);
  let head = new Uint8Array(0);
  for await (const piece of body) {
    if (head.length < byteOrderMarkBytes) head = Buffer.concat([head, piece.subarray(0, byteOrderMarkBytes)]);
    planner.push(piece);
  }
  const plan = planner.finish();
  const jobId = importJobIdOf(key, eTag);
  const existing = await deps.jobs.get(jobId);
  if (existing !== undefined) {
    if (existing.status === 'importing') await deps.chunks.sendAll(tasksOf(jobId, plan.chunks));
    return existing;
  }

  const encoding = await detectEncoding(deps.files, bucket, key, head, plan.firstNonAscii, plan.size);
  const headerBytes = await collect(await deps.files.readRange(bucket, key, 0, plan.headerEnd));
  const base: ImportJob = {
    jobId,
    bucket,
    key,
    size: plan.size,
    status: 'importing',
    encoding,
    header: Buffer.from(headerBytes).toString('base64'),
    linesTotal: Math.max(plan.lines - 1, 0),
    chunksTotal: plan.chunks.length,
    chunksDone: 0,
    read: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    startedAt: now().toISOString(),
  };
  const failed = (failure: string): ImportJob => ({
    ...base,
    status: 'failed',
    failure,
    chunksTotal: 0,
    finishedAt: base.startedAt,
  });
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const job = failed('UTF-16 files cannot be split into chunks: save the file as UTF-8 (CSV UTF-8)');
    await deps.jobs.create(job);
    return job;
  }
  // The header is checked by the chunk workers, with the local import's reader (which the splitter
  // does not bundle): a bad header fails the job at its first chunk.
  const job: ImportJob = {
    ...base,
    ...(plan.chunks.length === 0 && { status: 'done', finishedAt: base.startedAt }),
  };
  if (await deps.jobs.create(job)) await deps.chunks.sendAll(tasksOf(jobId, plan.chunks));
  return job;
};

/** Enough of the file's first bytes to find any byte-order mark. */
const byteOrderMarkBytes = 4;

const tasksOf = (jobId: string, chunks: ReturnType<ChunkPlanner['finish']>['chunks']): ImportChunkTask[] =>
  chunks.map(({ chunk, start, end, firstLine }) => ({ jobId, chunk, start, end, firstLine }));

const collect = async (bytes: AsyncIterable<Uint8Array>): Promise<Uint8Array> => {
  const pieces: Uint8Array[] = [];
  for await (const piece of bytes) pieces.push(piece);
  return Buffer.concat(pieces);
};

/** As the local import: a byte-order mark, else UTF-8 or Windows-1252 from the first non-ASCII bytes. */
const detectEncoding = async (
  files: ImportFiles,
  bucket: string,
  key: string,
  head: Uint8Array,
  firstNonAscii: number,
  size: number,
): Promise<TextEncoding> => {
  const marked = encodingOfByteOrderMark(head);
  if (marked !== undefined) return marked;
  if (firstNonAscii === -1) return 'utf-8';
  const end = Math.min(size, firstNonAscii + encodingSample);
  const sample = await collect(await files.readRange(bucket, key, firstNonAscii, end));
  return utf8OrWindows1252(sample, end === size);
};
