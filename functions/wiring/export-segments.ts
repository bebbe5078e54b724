import { createConsentedQuotes } from '../adapters/consented-quotes';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createExportUploads } from '../adapters/export-files';
import { createExportRepository } from '../adapters/export-repository';
import { createS3Client } from '../adapters/s3';
import { createSurveyRepository } from '../adapters/survey-repository';
import { exportsBucketEnvVar } from '../resources/queues';
import { customersTable, exportsTable, surveysTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import type { ExporterDeps } from '../use-cases/export-jobs';
import { type Env, readExportBucket } from './export-bucket';

/**
 * What the exporter needs to run export jobs. No SQS client (it would push the bundle past 400 KB): a
 * failed job comes back after the exports queue's visibility timeout rather than a backoff.
 */
export const exporterDeps = (env: Env = process.env) => {
  const tables = tableNamesFrom(
    {
      customers: customersTable,
      exports: exportsTable,
      surveys: surveysTable,
    },
    env,
  );
  const config = readExportBucket(env);
  const db = createDocumentClient();
  const customers = createCustomerRepository(db, tables);
  const deps: ExporterDeps = {
    jobs: createExportRepository(db, tables.exports),
    files: createExportUploads(createS3Client(), config[exportsBucketEnvVar]),
    customers,
    surveys: createSurveyRepository(db, tables.surveys),
    testimonials: {
      consents: createConsentedQuotes(db, tables.surveys),
      customers,
    },
  };
  return { deps };
};
