import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createSqsClient } from '../../functions/adapters/task-queue';
import { createQueuePoller, type QueuePoller } from '../../local/queue-poller';

type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/**
 * Several execution environments of one queue-consuming function, each polling the queue on its own,
 * as Lambda scales an event source mapping out to several concurrent batches. Each environment loads
 * its own instance of the handler module (a query string makes it a distinct module): a handler
 * module, like a Lambda execution environment, runs one batch at a time, and its batch processor
 * would mix the records of two batches run through it at once.
 *
 * Each invocation is told it has `remainingMillis` left (what bounds an idempotency record left in
 * progress by a failed invocation). In AWS the first retry of a task comes after
 * `RETRY_BASE_SECONDS` = 30 s, longer than the 30 s timeout; with a base of 1 s here, 10 s keeps that
 * order: a task blocked by such a record is retried after it expired, before its last receive.
 */
export const lambdaFleet = (
  handler: string,
  queueUrl: string | undefined,
  size: number,
  remainingMillis = 10_000,
) => {
  if (queueUrl === undefined) throw new Error(`no queue URL for ${handler}`);
  const sqs = createSqsClient({});
  const pollers: QueuePoller[] = Array.from({ length: size }, (_, environment) =>
    createQueuePoller({
      sqs,
      queueUrl,
      functionName: handler,
      load: async () => {
        const path = `../../functions/handlers/${handler}.ts?environment=${environment}`;
        const loaded = ((await import(path)) as { handler: QueueHandler }).handler;
        return (event: SQSEvent, context: Context) =>
          loaded(event, { ...context, getRemainingTimeInMillis: () => remainingMillis });
      },
    }),
  );
  return {
    /** Works the queue off with every environment at once, retries included, within `timeoutMs`. */
    drain: (timeoutMs = 180_000) => Promise.all(pollers.map((poller) => poller.drain(timeoutMs))),
  };
};
