import pLimit from 'p-limit';
import { ConcurrentCustomerChangeError, type CustomerRepository } from '../adapters/customer-repository';
import type { StoreRepository } from '../adapters/store-repository';
import { DuplicateEmailError } from '../domain/errors';
import { planCustomerWrite } from '../domain/registry';
import { firstSurveyAt } from '../domain/schedule';
import {
  CustomerProfile,
  type CustomerRecord,
  customerCsvColumns,
  customerCsvOptionalColumns,
} from '../schemas/customer';
import {
  type CsvRecord,
  type ImportedRow,
  type ImportOptions,
  importCsv,
  type RowOutcome,
} from './csv-import';

export interface ImportCustomersDeps {
  readonly customers: CustomerRepository;
  readonly stores: Pick<StoreRepository, 'listIds'>;
  readonly now?: () => Date;
  /** Writes in flight at once within a batch. */
  readonly concurrency?: number;
  /** Days over which new customers' first surveys are spread (`firstSurveyAt`). */
  readonly firstSurveySpreadDays?: number;
  /**
   * A bulk import's job id. Each row then marks the customer it creates or changes with the job and its
   * line, so a customer id repeated in another chunk (read by another worker) is rejected like one
   * repeated in the same chunk, and a row imported before a worker crashed counts the same when its
   * chunk is imported again.
   */
  readonly importJob?: string;
}

/** What an import row leaves on the customer it wrote: `job#line#outcome`. */
const importMarkOf = (job: string, line: number, outcome: 'created' | 'updated') =>
  `${job}#${line}#${outcome}`;

const readImportMark = (mark: string | undefined) => {
  const [job, line, outcome] = (mark ?? '').split('#');
  return { job, line: Number(line), outcome: outcome === 'created' ? 'created' : 'updated' } as const;
};

/**
 * Imports customers from CSV records. New customers are due for a first survey at a stable instant
 * within the coming weeks (see `firstSurveyAt`). A re-import updates the profile (names, store, locale,
 * attributes, e-mail) and never touches what the pipeline owns: contact status, survey history
 * and scores. Unchanged customers are not written at all, so re-running an import is cheap.
 */
export const importCustomers = async (
  records: AsyncIterable<CsvRecord>,
  {
    customers,
    stores,
    now = () => new Date(),
    concurrency = 8,
    firstSurveySpreadDays,
    importJob,
  }: ImportCustomersDeps,
  options: ImportOptions = {},
) => {
  const knownStores = await stores.listIds();
  const writes = pLimit(concurrency);

  const writeOne = async (row: ImportedRow<CustomerProfile>, attempt = 0): Promise<RowOutcome> => {
    const existing = attempt === 0 ? undefined : await customers.get(row.item.customerId);
    return writePlanned(row, existing, attempt);
  };

  const writePlanned = async (
    { item: profile, line }: ImportedRow<CustomerProfile>,
    existing: CustomerRecord | undefined,
    attempt: number,
  ): Promise<RowOutcome> => {
    const mark = readImportMark(existing?.importMark);
    if (importJob !== undefined && mark.job === importJob) {
      if (mark.line === line) return mark.outcome;
      return { rejected: `duplicate customerId ${profile.customerId} (first seen on line ${mark.line})` };
    }
    const timestamp = now().toISOString();
    const plan = planCustomerWrite(existing, profile);
    const markFor = (outcome: 'created' | 'updated') =>
      importJob === undefined ? undefined : importMarkOf(importJob, line, outcome);
    try {
      if (plan === 'create') {
        await customers.create(
          profile,
          timestamp,
          firstSurveyAt(profile.customerId, new Date(timestamp), firstSurveySpreadDays).toISOString(),
          markFor('created'),
        );
      } else if (plan === 'update') await customers.updateProfile(profile, timestamp, markFor('updated'));
      else if (plan === 'change-email')
        await customers.changeEmail(profile, existing?.email ?? '', timestamp, markFor('updated'));
      return plan === 'create' ? 'created' : plan === 'unchanged' ? 'unchanged' : 'updated';
    } catch (error) {
      if (error instanceof DuplicateEmailError) return { rejected: error.message };
      if (error instanceof ConcurrentCustomerChangeError && attempt < 3)
        return writeOne({ item: profile, line }, attempt + 1);
      throw error;
    }
  };

  const writeBatch = async (rows: ReadonlyArray<ImportedRow<CustomerProfile>>) => {
    const existing = await customers.getMany(rows.map((row) => row.item.customerId));
    return Promise.all(
      rows.map((row) => writes(() => writePlanned(row, existing.get(row.item.customerId), 0))),
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
