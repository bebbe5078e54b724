import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { ImportChunkTask } from '../schemas/bulk-import';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { importChunk } from '../use-cases/import-chunk';
import { chunkWorkerDeps } from '../wiring/bulk-import';

const deps = chunkWorkerDeps();

const consume = queueConsumer(async (record: SQSRecord) => {
  const task = ImportChunkTask.parse(JSON.parse(record.body));
  const job = await importChunk(deps, task);
  logger.info('import chunk done', { jobId: task.jobId, chunk: task.chunk, status: job.status });
}, {});

/** A chunk worker: imports one byte range of a bulk import file. */
export const handler = (event: SQSEvent, context: Context) => consume(event, context);
