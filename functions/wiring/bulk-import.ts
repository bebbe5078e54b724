import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createImportFiles } from '../adapters/import-files';
import { createImportJobRepository } from '../adapters/import-job-repository';
import { createS3Client } from '../adapters/s3';
import { listStoreIds } from '../adapters/store-ids';
import { customerEmailsTable, customersTable, importsTable, storesTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import type { ChunkWorkerDeps } from '../use-cases/import-chunk';

export type Env = Readonly<Record<string, string | undefined>>;

/** What a chunk worker imports with: the registry, the job table and the files (no queue). */
export const chunkWorkerDeps = (env: Env = process.env): ChunkWorkerDeps => {
  const tables = tableNamesFrom(
    {
      customers: customersTable,
      customerEmails: customerEmailsTable,
      stores: storesTable,
      imports: importsTable,
    },
    env,
  );
  const db = createDocumentClient();
  return {
    jobs: createImportJobRepository(db, tables.imports),
    files: createImportFiles(createS3Client()),
    customers: createCustomerRepository(db, tables),
    stores: { listIds: () => listStoreIds(db, tables.stores) },
  };
};
