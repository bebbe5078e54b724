import * as z from 'zod/mini';
import { createDocumentClient } from '../adapters/dynamodb';
import { createImportFiles } from '../adapters/import-files';
import { createImportJobRepository } from '../adapters/import-job-repository';
import { createS3Client } from '../adapters/s3';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { importChunksQueue } from '../resources/queues';
import { importsTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import type { SplitterDeps } from '../use-cases/bulk-import';
import type { Env } from './bulk-import';

/** What the splitter needs: the job table, the files, the chunks queue and the planned chunk size. */
export const splitterDeps = (env: Env = process.env): SplitterDeps => {
  const { imports } = tableNamesFrom({ imports: importsTable }, env);
  const config = readConfig(
    {
      [importChunksQueue.envVar]: z.string().check(z.minLength(1)),
      IMPORT_CHUNK_BYTES: z.optional(z.coerce.number().check(z.int(), z.gte(1024))),
    },
    env,
  );
  return {
    jobs: createImportJobRepository(createDocumentClient(), imports),
    files: createImportFiles(createS3Client()),
    chunks: createTaskQueue(createSqsClient({}), config[importChunksQueue.envVar]),
    chunkBytes: config.IMPORT_CHUNK_BYTES,
  };
};
