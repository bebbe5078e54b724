import * as z from 'zod/mini';
import { textEncodings } from '../domain/csv-format';

/** The part of an S3 event notification (ObjectCreated) the splitter reads. */
export const ImportFileEvent = z.object({
  Records: z.optional(
    z.array(
      z.object({
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({ key: z.string(), eTag: z.optional(z.string()) }),
        }),
      }),
    ),
  ),
});
export type ImportFileEvent = z.infer<typeof ImportFileEvent>;

/** One chunk of a bulk import: the byte range of its records and the file line the first starts on. */
export const ImportChunkTask = z.object({
  jobId: z.string(),
  chunk: z.number().check(z.int(), z.gte(0)),
  start: z.number().check(z.int(), z.gte(0)),
  end: z.number().check(z.int(), z.gte(0)),
  firstLine: z.number().check(z.int(), z.gte(1)),
});
export type ImportChunkTask = z.infer<typeof ImportChunkTask>;

export const ImportJobStatus = z.enum(['importing', 'done', 'failed']);
export type ImportJobStatus = z.infer<typeof ImportJobStatus>;

/** A bulk import job as stored in the imports table (and shown by `closeloop imports status`). */
export const ImportJob = z.object({
  jobId: z.string(),
  bucket: z.string(),
  key: z.string(),
  size: z.number(),
  status: ImportJobStatus,
  /** Why a failed job stopped (bad header, unsupported encoding). */
  failure: z.optional(z.string()),
  encoding: z.enum(textEncodings),
  /** The header line's bytes (base64): each chunk is read with it in front. */
  header: z.string(),
  /** Data lines in the file (what the progress bar counts to; a multi-line record counts its lines). */
  linesTotal: z.number(),
  chunksTotal: z.number(),
  chunksDone: z.number(),
  read: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
  /** Chunks counted (each once, whatever the redeliveries) and those that left rejected rows. */
  countedChunks: z.optional(z.array(z.number())),
  rejectChunks: z.optional(z.array(z.number())),
  /** The merged rejects file, once done (absent: no row was rejected). */
  rejectsKey: z.optional(z.string()),
  startedAt: z.string(),
  finishedAt: z.optional(z.string()),
});
export type ImportJob = z.infer<typeof ImportJob>;
