import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { createDocumentClient } from '../adapters/dynamodb';
import { createExportLinks } from '../adapters/export-links';
import { createExportRepository } from '../adapters/export-repository';
import { createS3Client } from '../adapters/s3';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { exportStallSeconds } from '../domain/exports';
import { exportSegments } from '../resources/manifests/workers';
import { visibilityTimeoutSecondsOf } from '../resources/queue-consumers';
import { exportsBucketEnvVar, exportsQueue } from '../resources/queues';
import { exportsTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import type { ExportApiDeps } from '../use-cases/export-jobs';

import { type Env, readExportBucket } from './export-bucket';

export { type Env, readExportBucket };

/**
 * What the API needs to start and watch export jobs. The exporter's are in
 * `exporter-dependencies.ts`, so that each function bundles only its own side of S3 (pre-signed
 * links here, multipart uploads there).
 */
export const exportApiDeps = (env: Env = process.env): ExportApiDeps => {
  const { exports } = tableNamesFrom({ exports: exportsTable }, env);
  const config = {
    ...readExportBucket(env),
    ...readConfig({ [exportsQueue.envVar]: z.string().check(z.minLength(1)) }, env),
  };
  return {
    jobs: createExportRepository(createDocumentClient(), exports),
    queue: createTaskQueue(createSqsClient({}), config[exportsQueue.envVar]),
    files: createExportLinks(createS3Client(), config[exportsBucketEnvVar]),
    // Prefixed: a bare base64url id starts with a dash one time in 64, which a command line reads as an option.
    newJobId: () => `exp_${randomBytes(12).toString('base64url')}`,
    stallSeconds: exportStallSeconds({
      timeoutSeconds: exportSegments.timeoutSeconds,
      visibilityTimeoutSeconds: visibilityTimeoutSecondsOf(exportsQueue),
    }),
  };
};
