import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { createSqsClient } from '../functions/adapters/task-queue';
import {
  answersQueue,
  exportsQueue,
  followUpsQueue,
  invitationsQueue,
  sesFeedbackQueue,
} from '../functions/resources/queues';
import { answerChangesFilter, surveysTable } from '../functions/resources/tables';
import { createQueuePoller, type QueuePoller } from './queue-poller';
import { createStreamPoller, type StreamCheckpoints } from './stream-poller';

/** Imports a handler module when first needed, so the environment is complete before it reads it. */
const handlerOf =
  <Handler>(name: string) =>
  async () =>
    ((await import(`../functions/handlers/${name}.ts`)) as { handler: Handler }).handler;

/**
 * The event-driven functions of the stack, run locally: each queue, and the Surveys table's stream,
 * feeds the same handler module that Lambda's event source mappings feed in AWS. The process
 * environment must already hold the functions' settings (the SDK endpoints among them).
 */
export const createQueueConsumers = (
  env: Readonly<Record<string, string>>,
  { checkpoints }: { checkpoints?: StreamCheckpoints } = {},
) => {
  const sqs = createSqsClient({});
  const consumer = (queueUrl: string | undefined, handler: string): QueuePoller => {
    if (queueUrl === undefined) throw new Error(`no queue URL for ${handler}`);
    return createQueuePoller({ sqs, queueUrl, functionName: handler, load: handlerOf(handler) });
  };
  const consumers = {
    invitations: consumer(env[invitationsQueue.envVar], 'send-invitations'),
    sesFeedback: consumer(env[sesFeedbackQueue.envVar], 'ses-feedback'),
    answers: consumer(env[answersQueue.envVar], 'count-answers'),
    followUps: consumer(env[followUpsQueue.envVar], 'follow-ups'),
    exports: consumer(env[exportsQueue.envVar], 'export-segments'),
    answerStream: createStreamPoller({
      dynamodb: new DynamoDBClient({}),
      streams: new DynamoDBStreamsClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
      tableName: env[surveysTable.envVar] ?? '',
      functionName: 'answer-stream',
      filter: answerChangesFilter,
      load: handlerOf('answer-stream'),
      ...(checkpoints && { checkpoints }),
    }),
  };
  return {
    ...consumers,
    start: () => {
      for (const poller of Object.values(consumers)) poller.start();
    },
    stop: () => Promise.all(Object.values(consumers).map((poller) => poller.stop())),
  };
};
