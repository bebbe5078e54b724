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

/** A profile to write, with the line it was read from (a bulk import marks customers with it). */
type ProfileRow = Pick<ImportedRow<CustomerProfile>, 'item' | 'line'>;

/**
 * Writes customers into the registry, one outcome per row in order. New customers are due for a
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
  firstSurveySpreadDays,
  importJob,
}: Omit<ImportCustomersDeps, 'stores'>) => {
  const writes = pLimit(concurrency);

  const writeOne = async (row: ProfileRow, attempt = 0): Promise<RowOutcome> => {
    const existing = attempt === 0 ? undefined : await customers.get(row.item.customerId);
    return writePlanned(row, existing, attempt);
  };

  const writePlanned = async (
    { item: profile, line }: ProfileRow,
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
      if (error instanceof DuplicateEmailError) return { rejected: error.message, field: 'email' };
      if (error instanceof ConcurrentCustomerChangeError && attempt < 3)
        return writeOne({ item: profile, line }, attempt + 1);
      throw error;
    }
  };

  return async (rows: readonly ProfileRow[]): Promise<RowOutcome[]> => {
    const existing = await customers.getMany(rows.map((row) => row.item.customerId));
    return Promise.all(
      rows.map((row) => writes(() => writePlanned(row, existing.get(row.item.customerId), 0))),
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
      writeBatch: (rows: ReadonlyArray<ImportedRow<CustomerProfile>>) => write(rows),
    },
    options,
  );
};
