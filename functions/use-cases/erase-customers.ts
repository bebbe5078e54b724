import pLimit from 'p-limit';
import { ConflictError } from '../domain/errors';
import { checkBatchSize } from '../schemas/customer-sync';
import { type CustomerPrivacyDeps, eraseCustomer } from './customer-privacy';

export interface ErasureResult {
  readonly customerId: string;
  /** `erased`: nothing personal is left (now, or already before); `pending`: run it again later. */
  readonly status: 'erased' | 'pending';
  readonly surveys?: number;
  readonly cases?: number;
  readonly message?: string;
}

/**
 * Erases up to `maxSyncBatch` customers (`eraseCustomer` each, a few at a time). A customer whose
 * answer is still on its way through counting is reported `pending` with the reason, the others are
 * erased; erasing an erased or unknown customer is `erased` again, so a repeated call is harmless.
 */
export const eraseCustomers = async (
  deps: CustomerPrivacyDeps,
  customerIds: readonly string[],
  { now, concurrency = 8 }: { now: Date; concurrency?: number },
): Promise<ErasureResult[]> => {
  checkBatchSize(customerIds.length, 'customer ids');
  const limit = pLimit(concurrency);
  const unique = [...new Set(customerIds)];
  const done = new Map(
    await Promise.all(
      unique.map((customerId) =>
        limit(async (): Promise<[string, ErasureResult]> => {
          try {
            const summary = await eraseCustomer(deps, customerId, { now });
            return [
              customerId,
              { customerId, status: 'erased', surveys: summary.surveys, cases: summary.cases },
            ];
          } catch (error) {
            if (!(error instanceof ConflictError)) throw error;
            return [customerId, { customerId, status: 'pending', message: error.message }];
          }
        }),
      ),
    ),
  );
  return customerIds.map((customerId) => done.get(customerId) as ErasureResult);
};
