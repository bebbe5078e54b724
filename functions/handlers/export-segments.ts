import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { exportsQueue } from '../resources/queues';
import { ExportTask } from '../schemas/export';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { runExportJob } from '../use-cases/export-jobs';
import { exporterDeps } from '../wiring/export-segments';

const { deps } = exporterDeps();

const consume = queueConsumer(async (record: SQSRecord) => {
  const { jobId } = ExportTask.parse(JSON.parse(record.body));
  const result = await runExportJob(deps, jobId, {
    attempt: Number(record.attributes.ApproximateReceiveCount ?? '1'),
    maxAttempts: exportsQueue.maxReceiveCount,
  });
  if (result.outcome === 'failed') {
    // No retry would mend it: the job says why to its requester; the operators get the error here.
    logger.warn('export job failed', { jobId, failure: result.failure, error: result.error as Error });
  } else {
    logger.info('export job done', { jobId, ...result });
  }
}, {});

/** Consumes the exports queue: streams each requested segment into the exports bucket. */
export const handler = (event: SQSEvent, context: Context) => consume(event, context);
