import * as z from 'zod/mini';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createImportFiles } from '../adapters/import-files';
import { createImportJobRepository } from '../adapters/import-job-repository';
import { createS3Client } from '../adapters/s3';
import { createStoreRepository } from '../adapters/store-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { importChunksQueue } from '../resources/queues';
import { customerEmailsTable, customersTable, importsTable, storesTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import type { BulkImportDeps } from '../use-cases/bulk-import';

type Env = Readonly<Record<string, string | undefined>>;

/** What a chunk worker imports with: the registry, the job table and the files (no queue). */
export const chunkWorkerDeps = (env: Env = process.env): BulkImportDeps => {
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
    chunks: {
      sendAll: () => Promise.reject(new Error('a chunk worker queues no chunks')),
    },
    customers: createCustomerRepository(db, tables),
    stores: createStoreRepository(db, tables.stores),
  };
};

/** What the splitter needs besides: the chunks queue and the planned chunk size. */
export const splitterDeps = (env: Env = process.env): BulkImportDeps => {
  const config = readConfig(
    {
      [importChunksQueue.envVar]: z.string().check(z.minLength(1)),
      IMPORT_CHUNK_BYTES: z.optional(z.coerce.number().check(z.int(), z.gte(1024))),
    },
    env,
  );
  return {
    ...chunkWorkerDeps(env),
    chunks: createTaskQueue(createSqsClient({}), config[importChunksQueue.envVar]),
    chunkBytes: config.IMPORT_CHUNK_BYTES,
  };
};
