/**
 * One chunk worker of a bulk import as a process of its own (a Lambda execution environment that a
 * test can kill mid-chunk): polls the chunks queue with the local event source mapping and prints
 * `start N` / `done N` around each chunk. Runs until killed; reads the stack's environment.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { createSqsClient } from '../../functions/adapters/task-queue';
import { importChunksQueue } from '../../functions/resources/queues';
import { createQueuePoller } from '../../local/queue-poller';

const queueUrl = process.env[importChunksQueue.envVar];
if (queueUrl === undefined) throw new Error(`${importChunksQueue.envVar} is not set`);
const chunkOf = (event: SQSEvent) => event.Records.map((record) => JSON.parse(record.body).chunk).join(',');

createQueuePoller({
  sqs: createSqsClient({}),
  queueUrl,
  functionName: 'import-chunks',
  batchSize: 1,
  load: async () => {
    const { handler } = await import('../../functions/handlers/import-chunks');
    return async (event: SQSEvent, context: Context) => {
      process.stdout.write(`start ${chunkOf(event)}\n`);
      const result = await handler(event, context);
      process.stdout.write(`done ${chunkOf(event)}\n`);
      return result;
    };
  },
}).start();
