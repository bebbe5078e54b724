import type * as z from 'zod/mini';
import type { CustomerProfile } from '../schemas/customer';
import {
  CustomerSyncItem,
  type CustomerSyncResult,
  checkBatchSize,
  type SyncOutcome,
  type SyncRowError,
} from '../schemas/customer-sync';
import { createDuplicateCheck } from './csv-import';
import { createCustomerWriter, customerRowRules, type ImportCustomersDeps } from './import-customers';

export type SyncCustomersDeps = ImportCustomersDeps;

const knownFields = Object.keys(CustomerSyncItem.shape).join(', ');

/**
 * A schema issue as `[field, message]`, in words for the messages zod/mini leaves generic (it ships
 * no locale): an unknown or missing field, a value of the wrong type.
 */
const describeIssue = (issue: z.core.$ZodIssue): [string, string] => {
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys')
    return [
      [field, ...issue.keys].filter((part) => part !== '').join('.'),
      `unknown field ${issue.keys.join(', ')} (the fields are ${knownFields})`,
    ];
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return [field, 'is required'];
    return [field, field === '' ? 'must be a JSON object (a customer)' : `must be a ${issue.expected}`];
  }
  return [field, issue.message];
};

const customerIdOf = (item: unknown) => {
  const id = (item as { customerId?: unknown } | null)?.customerId;
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
};

/**
 * Creates or updates up to `maxSyncBatch` customers sent as JSON by an integration, with the CSV
 * import's rules: each row is checked on its own (the schema, then a key or e-mail address already
 * used by an earlier row of the call, then the store), good rows are written as the import writes
 * them (an address held by another customer refuses the row), and every refused row is reported with
 * its index, field and reason. Idempotent: the same call again writes nothing and reports the rows
 * `unchanged` (and the refused ones refused again).
 */
export const syncCustomers = async (
  deps: SyncCustomersDeps,
  items: readonly unknown[],
): Promise<CustomerSyncResult> => {
  checkBatchSize(items.length, 'customers');
  const rules = customerRowRules(await deps.stores.listIds());
  const duplicates = createDuplicateCheck<CustomerProfile, number>(rules, (index) => `at index ${index}`);
  const outcomes: SyncOutcome[] = [];
  const ids: (string | undefined)[] = [];
  const errors: SyncRowError[] = [];
  const accepted: { index: number; profile: CustomerProfile }[] = [];

  for (const [index, item] of items.entries()) {
    const parsed = CustomerSyncItem.safeParse(item, { reportInput: true });
    const customerId = parsed.success ? parsed.data.customerId : customerIdOf(item);
    ids[index] = customerId;
    const reject = (error: Omit<SyncRowError, 'index' | 'customerId'>) => {
      outcomes[index] = 'rejected';
      errors.push({ index, ...(customerId !== undefined && { customerId }), ...error });
    };
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [path, message] = describeIssue(issue);
        reject({ ...(path !== '' && { field: path }), code: 'invalid', message });
      }
      continue;
    }
    const profile = parsed.data;
    const duplicate = duplicates.find(profile);
    if (duplicate !== undefined) {
      reject({ field: duplicate.field, code: 'duplicate', message: duplicate.reason });
      continue;
    }
    const problem = rules.check(profile);
    if (problem !== undefined) {
      reject({ field: 'storeId', code: 'unknown_store', message: problem });
      continue;
    }
    duplicates.remember(profile, index);
    accepted.push({ index, profile });
  }

  const written = await createCustomerWriter(deps)(
    accepted.map(({ index, profile }) => ({ item: profile, line: index + 1 })),
  );
  written.forEach((outcome, position) => {
    const { index, profile } = accepted[position] as (typeof accepted)[number];
    if (typeof outcome === 'string') {
      outcomes[index] = outcome;
      return;
    }
    outcomes[index] = 'rejected';
    errors.push({
      index,
      customerId: profile.customerId,
      field: outcome.field ?? 'email',
      code: 'email_taken',
      message: outcome.rejected,
    });
  });

  const summary = { received: items.length, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const outcome of outcomes) summary[outcome]++;
  return {
    summary,
    results: outcomes.map((outcome, index) => {
      const customerId = ids[index];
      return { index, ...(customerId !== undefined && { customerId }), outcome };
    }),
    errors: errors.sort((a, b) => a.index - b.index),
  };
};
