import * as z from 'zod/mini';
import { PayloadTooLargeError } from '../domain/errors';
import { identifier } from './common';
import { CustomerProfile } from './customer';

/** Customers per batch call at most; a larger batch is refused whole (413): split it. */
export const maxSyncBatch = 500;

/** Refuses (413) a call with more than `maxSyncBatch` items, saying how to split it. */
export const checkBatchSize = (count: number, what: string) => {
  if (count > maxSyncBatch)
    throw new PayloadTooLargeError(
      `A call takes at most ${maxSyncBatch} ${what}, this one has ${count}: split it into calls of ${maxSyncBatch}.`,
    );
};

const attributeName = z
  .string()
  .check(z.trim(), z.minLength(1, 'a name is required'), z.maxLength(64, 'must be at most 64 characters'));

/**
 * One customer as an integration sends it: the CSV import's fields, as JSON. `locale` defaults to
 * `en`; `attributes` (string values, at most 50, empty ones dropped as an empty CSV cell is) are kept
 * for segmentation. Unknown fields are refused, so a misspelt one is noticed.
 */
export const CustomerSyncItem = z.strictObject({
  ...CustomerProfile.shape,
  locale: z._default(CustomerProfile.shape.locale, 'en'),
  attributes: z._default(
    z.pipe(
      z
        .record(attributeName, z.string().check(z.maxLength(1000, 'must be at most 1000 characters')))
        .check(z.refine((record) => Object.keys(record).length <= 50, 'at most 50 attributes')),
      z.transform((record) =>
        Object.fromEntries(
          Object.entries(record)
            .map(([name, value]) => [name, value.trim()] as const)
            .filter(([, value]) => value !== ''),
        ),
      ),
    ),
    {},
  ),
});
export type CustomerSyncItem = z.infer<typeof CustomerSyncItem>;

/** `POST /api/customers/batch`: up to `maxSyncBatch` customers, each checked on its own. */
export const CustomerSyncBatch = z.strictObject({ customers: z.array(z.unknown()) });

/** `POST /api/customers/erasures`: up to `maxSyncBatch` customer ids. */
export const CustomerErasureBatch = z.strictObject({ customerIds: z.array(identifier()) });

export type SyncOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

/** Why one row was refused: its position in the request, the field at fault when there is one. */
export interface SyncRowError {
  readonly index: number;
  readonly customerId?: string;
  readonly field?: string;
  /** `invalid` (the field's value), `duplicate` (an earlier row of the call), `unknown_store`, `email_taken`. */
  readonly code: 'invalid' | 'duplicate' | 'unknown_store' | 'email_taken';
  readonly message: string;
}

export interface SyncSummary {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** The answer to a sync: counts, one result per row in order, and every error of every refused row. */
export interface CustomerSyncResult {
  readonly summary: SyncSummary;
  readonly results: ReadonlyArray<{
    readonly index: number;
    readonly customerId?: string;
    readonly outcome: SyncOutcome;
  }>;
  readonly errors: readonly SyncRowError[];
}
