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
  type ImportSpec,
  importCsv,
  type RowOutcome,
} from './csv-import';

export interface ImportCustomersDeps {
  readonly customers: CustomerRepository;
  readonly stores: Pick<StoreRepository, 'listIds'>;
  readonly now?: () => Date;
  /** Writes in flight at once within a batch. */
  readonly concurrency?: number;
}

/**
 * What makes a customer row acceptable beyond its schema, shared by the CSV import and the sync API:
 * its identity, the values unique across rows, and that its store exists.
 */
export const customerRowRules = (knownStores: ReadonlySet<string>) =>
  ({
    keyName: 'customerId',
    keyOf: (customer) => customer.customerId,
    uniqueValues: (customer) => [['e-mail', customer.email, 'email']],
    check: (customer) =>
      knownStores.has(customer.storeId)
        ? undefined
        : `unknown storeId ${customer.storeId} (import it with import-stores first)`,
  }) satisfies Pick<ImportSpec<CustomerProfile>, 'keyName' | 'keyOf' | 'uniqueValues' | 'check'>;

/**
 * Writes customers into the registry, one outcome per profile in order. New customers are due for a
 * first survey at a stable instant within the coming weeks (see `firstSurveyAt`). An existing one
 * gets its profile (names, store, locale, attributes, e-mail) replaced and never what the pipeline
 * owns: contact status, survey history and scores. Unchanged customers are not written at all, so
 * writing the same profiles again is cheap and changes nothing. An address another customer holds
 * rejects the row (field `email`).
 */
export const createCustomerWriter = ({
  customers,
  now = () => new Date(),
  concurrency = 8,
}: Omit<ImportCustomersDeps, 'stores'>) => {
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
      if (error instanceof DuplicateEmailError) return { rejected: error.message, field: 'email' };
      if (error instanceof ConcurrentCustomerChangeError && attempt < 3)
        return writeOne(profile, attempt + 1);
      throw error;
    }
  };

  return async (profiles: readonly CustomerProfile[]): Promise<RowOutcome[]> => {
    const existing = await customers.getMany(profiles.map((profile) => profile.customerId));
    return Promise.all(
      profiles.map((profile) => writes(() => writePlanned(profile, existing.get(profile.customerId), 0))),
    );
  };
};

/**
 * Imports customers from CSV records (see `createCustomerWriter` for what a write does). Re-running
 * an import is cheap: unchanged customers are not written.
 */
export const importCustomers = async (
  records: AsyncIterable<CsvRecord>,
  deps: ImportCustomersDeps,
  options: ImportOptions = {},
) => {
  const write = createCustomerWriter(deps);
  return importCsv(
    records,
    {
      requiredColumns: customerCsvColumns,
      optionalColumns: customerCsvOptionalColumns,
      schema: CustomerProfile,
      ...customerRowRules(await deps.stores.listIds()),
      writeBatch: (rows: ReadonlyArray<ImportedRow<CustomerProfile>>) => write(rows.map((row) => row.item)),
    },
    options,
  );
};
