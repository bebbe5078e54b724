import pLimit from 'p-limit';
import { ConcurrentCustomerChangeError, type CustomerRepository } from '../adapters/customer-repository';
import type { StoreRepository } from '../adapters/store-repository';
import { DuplicateEmailError } from '../domain/errors';
import { planCustomerWrite } from '../domain/registry';
import { firstSurveyAt } from '../domain/schedule';
import { CustomerProfile, customerCsvColumns, customerCsvOptionalColumns } from '../schemas/customer';
import {
  type CsvRecord,
  type ImportedRow,
  type ImportOptions,
  importCsv,
  type RowOutcome,
} from './csv-import';

export interface ImportCustomersDeps {
  readonly customers: CustomerRepository;
  readonly stores: StoreRepository;
  readonly now?: () => Date;
  /** Writes in flight at once within a batch. */
  readonly concurrency?: number;
}

/**
 * Imports customers from CSV records. New customers are due for a first survey at a stable instant
 * within the coming weeks (see `firstSurveyAt`). A re-import updates the profile (names, store, locale,
 * attributes, e-mail) and never touches what the pipeline owns: contact status, survey history
 * and scores. Unchanged customers are not written at all, so re-running an import is cheap.
 */
export const importCustomers = async (
  records: AsyncIterable<CsvRecord>,
  { customers, stores, now = () => new Date(), concurrency = 8 }: ImportCustomersDeps,
  options: ImportOptions = {},
) => {
  const knownStores = await stores.listIds();
  const writes = pLimit(concurrency);

  const writeOne = async (profile: CustomerProfile, attempt = 0): Promise<RowOutcome> => {
    const existing = attempt === 0 ? undefined : await customers.get(profile.customerId);
    return writePlanned(profile, existing, attempt);
  };

  const writePlanned = async (
    profile: CustomerProfile,
    existing: CustomerProfile | undefined,
    attempt: number,
  ): Promise<RowOutcome> => {
    const timestamp = now().toISOString();
    const plan = planCustomerWrite(existing, profile);
    try {
      if (plan === 'create') {
        await customers.create(
          profile,
          timestamp,
          firstSurveyAt(profile.customerId, new Date(timestamp)).toISOString(),
        );
      } else if (plan === 'update') await customers.updateProfile(profile, timestamp);
      else if (plan === 'change-email')
        await customers.changeEmail(profile, existing?.email ?? '', timestamp);
      return plan === 'create' ? 'created' : plan === 'unchanged' ? 'unchanged' : 'updated';
    } catch (error) {
      if (error instanceof DuplicateEmailError) return { rejected: error.message };
      if (error instanceof ConcurrentCustomerChangeError && attempt < 3)
        return writeOne(profile, attempt + 1);
      throw error;
    }
  };

  const writeBatch = async (rows: ReadonlyArray<ImportedRow<CustomerProfile>>) => {
    const existing = await customers.getMany(rows.map((row) => row.item.customerId));
    return Promise.all(
      rows.map((row) => writes(() => writePlanned(row.item, existing.get(row.item.customerId), 0))),
    );
  };

  return importCsv(
    records,
    {
      requiredColumns: customerCsvColumns,
      optionalColumns: customerCsvOptionalColumns,
      schema: CustomerProfile,
      keyName: 'customerId',
      keyOf: (customer) => customer.customerId,
      uniqueValues: (customer) => [['e-mail', customer.email]],
      check: (customer) =>
        knownStores.has(customer.storeId)
          ? undefined
          : `unknown storeId ${customer.storeId} (import it with import-stores first)`,
      writeBatch,
    },
    options,
  );
};
