import * as z from 'zod/mini';
import { identifier, isoDate, isoTimestamp, requiredName } from './common';

/** A benchmark's id: lower-case letters, digits and hyphens (`industry-median`); a slug of its name by default. */
export const benchmarkId = () =>
  z
    .string()
    .check(
      z.regex(
        /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
        'must be 1 to 64 lower-case letters, digits or hyphens, starting and ending with a letter or digit',
      ),
    );

/**
 * A competitor's or the industry's NPS as marketing enters it (`closeloop benchmarks add`,
 * `PUT /r/benchmarks/{id}`): its name, NPS, the responses it rests on if known, the day it is of, and
 * the store it is for (absent: the whole chain).
 */
export const BenchmarkInput = z.object({
  name: requiredName(100),
  value: z
    .number({ error: 'must be a number from -100 to 100' })
    .check(z.gte(-100, 'must be from -100 to 100'), z.lte(100, 'must be from -100 to 100')),
  sampleSize: z.optional(
    z
      .number({ error: 'must be a positive whole number of responses' })
      .check(
        z.int({ error: 'must be a positive whole number of responses' }),
        z.positive('must be a positive whole number of responses'),
      ),
  ),
  date: isoDate(),
  storeId: z.optional(identifier()),
});
export type BenchmarkInput = z.infer<typeof BenchmarkInput>;

/** A benchmark as stored: its input, its id, and who last set it and when. */
export const BenchmarkRecord = z.object({
  benchmarkId: z.string().check(z.minLength(1)),
  name: z.string(),
  value: z.number(),
  sampleSize: z.optional(z.number()),
  date: z.string(),
  storeId: z.optional(z.string()),
  updatedAt: isoTimestamp(),
  updatedBy: z.string(),
});
export type BenchmarkRecord = z.infer<typeof BenchmarkRecord>;
