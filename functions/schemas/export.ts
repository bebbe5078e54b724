import * as z from 'zod/mini';
import { segmentNames } from '../domain/segments';
import { identifier, isoDate, isoTimestamp } from './common';

/** What marketing asks for in `POST /r/exports`. */
export const ExportRequest = z
  .object({
    segment: z.enum(segmentNames),
    stores: z.optional(z.array(identifier()).check(z.minLength(1), z.maxLength(500))),
    locales: z.optional(z.array(z.string().check(z.minLength(2), z.maxLength(35))).check(z.maxLength(50))),
    attributes: z.optional(
      z.record(z.string().check(z.minLength(1), z.maxLength(100)), z.string().check(z.maxLength(500))),
    ),
    from: z.optional(isoDate()),
    to: z.optional(isoDate()),
    format: z._default(z.enum(['csv', 'jsonl']), 'csv'),
    bom: z._default(z.boolean(), false),
    /** Every response in the segment rather than each customer's latest. */
    everyResponse: z._default(z.boolean(), false),
    attributeColumns: z.optional(
      z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(50)),
    ),
  })
  .check(
    z.refine((request) => !request.from || !request.to || request.from <= request.to, {
      error: 'from must not be after to',
      path: ['from'],
    }),
  );
export type ExportRequest = z.infer<typeof ExportRequest>;

/** An export job, as kept in the Exports table for a week. */
export const ExportJob = z.object({
  jobId: z.string(),
  status: z.enum(['queued', 'running', 'ready', 'failed']),
  request: ExportRequest,
  /** How the requester is shown (their verified e-mail, else their account id). */
  requestedBy: z.string(),
  /** The requester's account: only they (or an admin) may fetch the file. */
  requestedBySub: z.optional(z.string()),
  createdAt: isoTimestamp(),
  updatedAt: isoTimestamp(),
  /** Set once ready: the object written and how many rows it holds. */
  key: z.optional(z.string()),
  rows: z.optional(z.number()),
  /** Set once failed: why, in a sentence for the requester (no internals). */
  failure: z.optional(z.string()),
  /** Epoch seconds after which DynamoDB deletes the job (TTL). */
  expiration: z.number(),
});
export type ExportJob = z.infer<typeof ExportJob>;

/** A message on the exports queue: run this job. */
export const ExportTask = z.object({ jobId: z.string().check(z.minLength(8)) });
