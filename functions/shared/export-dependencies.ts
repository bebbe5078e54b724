import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createExportFiles, createS3Client } from '../adapters/export-files';
import { createExportRepository } from '../adapters/export-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { exportsBucketEnvVar, exportsQueue } from '../resources/queues';
import { customerEmailsTable, customersTable, exportsTable, surveysTable } from '../resources/tables';
import type { ExportJobDeps } from '../use-cases/export-jobs';
import { readConfig, tableNamesFrom } from './config';

/** What starting, watching and running export jobs needs; shared by the API and the exporter. */
export const exportJobDeps = (env: Readonly<Record<string, string | undefined>> = process.env) => {
  const tables = tableNamesFrom(
    {
      customers: customersTable,
      customerEmails: customerEmailsTable,
      exports: exportsTable,
      surveys: surveysTable,
    },
    env,
  );
  const config = readConfig(
    {
      [exportsQueue.envVar]: z.string().check(z.minLength(1)),
      [exportsBucketEnvVar]: z.string().check(z.minLength(1)),
      RETRY_BASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 30),
    },
    env,
  );
  const db = createDocumentClient();
  const queue = createTaskQueue(createSqsClient({}), config[exportsQueue.envVar]);
  const deps: ExportJobDeps = {
    jobs: createExportRepository(db, tables.exports),
    queue,
    files: createExportFiles(createS3Client(), config[exportsBucketEnvVar]),
    customers: createCustomerRepository(db, tables),
    surveys: createSurveyRepository(db, tables.surveys),
    newJobId: () => randomBytes(12).toString('base64url'),
  };
  return { deps, queue, retryBaseSeconds: config.RETRY_BASE_SECONDS };
};
