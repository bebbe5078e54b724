import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { ImportFileEvent } from '../schemas/bulk-import';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { startBulkImport } from '../use-cases/bulk-import';
import { splitterDeps } from '../wiring/import-files';

const deps = splitterDeps();

const consume = queueConsumer(async (record: SQSRecord) => {
  // An S3 event notification (ObjectCreated in `imports/`); S3's own test event has no Records.
  const { Records = [] } = ImportFileEvent.parse(JSON.parse(record.body));
  for (const { s3 } of Records) {
    const key = decodeURIComponent(s3.object.key.replaceAll('+', ' '));
    const job = await startBulkImport(deps, { bucket: s3.bucket.name, key, eTag: s3.object.eTag });
    if (job !== undefined)
      logger.info('bulk import planned', {
        jobId: job.jobId,
        key,
        chunks: job.chunksTotal,
        status: job.status,
      });
  }
}, {});

/** The splitter: plans a dropped CSV file's chunks and queues them for the chunk workers. */
export const handler = (event: SQSEvent, context: Context) => consume(event, context);
