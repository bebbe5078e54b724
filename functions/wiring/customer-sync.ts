import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { customerEmailsTable, customersTable, storesTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import type { SyncCustomersDeps } from '../use-cases/sync-customers';

/** What the customer sync API writes with (see its manifest). */
export const customerSyncDeps = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): SyncCustomersDeps => {
  const tables = tableNamesFrom(
    { customers: customersTable, customerEmails: customerEmailsTable, stores: storesTable },
    env,
  );
  const db = createDocumentClient();
  return {
    customers: createCustomerRepository(db, tables),
    stores: createStoreRepository(db, tables.stores),
    concurrency: 8,
  };
};
