import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createSqsClient } from '../functions/adapters/task-queue';
import { answersQueue, invitationsQueue, sesFeedbackQueue } from '../functions/resources/queues';
import { createQueuePoller, type QueuePoller } from './queue-poller';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

const handlerOf = (name: string) => async () =>
  ((await import(`../functions/handlers/${name}.ts`)) as { handler: Handler }).handler;

/**
 * The queue consumers of the stack, run locally: each queue feeds the same handler module Lambda's
 * event source mapping would. The process environment must already hold the functions' settings.
 */
export const createQueueConsumers = (env: Readonly<Record<string, string>>) => {
  const sqs = createSqsClient({});
  const consumer = (queueUrl: string | undefined, handler: string): QueuePoller => {
    if (queueUrl === undefined) throw new Error(`no queue URL for ${handler}`);
    return createQueuePoller({ sqs, queueUrl, functionName: handler, load: handlerOf(handler) });
  };
  const consumers = {
    invitations: consumer(env[invitationsQueue.envVar], 'send-invitations'),
    sesFeedback: consumer(env[sesFeedbackQueue.envVar], 'ses-feedback'),
    answers: consumer(env[answersQueue.envVar], 'count-answers'),
  };
  return {
    ...consumers,
    start: () => {
      for (const poller of Object.values(consumers)) poller.start();
    },
    stop: () => Promise.all(Object.values(consumers).map((poller) => poller.stop())),
  };
};
