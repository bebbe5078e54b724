import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { answersQueue } from '../resources/queues';
import { CountAnswerTask } from '../schemas/answer';
import { readConfig } from '../shared/config';
import { countAnswerDeps } from '../shared/count-answer-dependencies';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { countAnswer } from '../use-cases/count-answer';

const sqs = createSqsClient();
const { deps, registerContext } = countAnswerDeps(new DynamoDBClient({}), sqs);
const queueUrl = readConfig({ [answersQueue.envVar]: z.string().check(z.minLength(1)) })[answersQueue.envVar];

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const { token } = CountAnswerTask.parse(JSON.parse(record.body));
    const outcome = await countAnswer(deps, token);
    logger.debug('answer counted', { messageId: record.messageId, outcome });
  },
  { queue: createTaskQueue(sqs, queueUrl), retryBaseSeconds: 1 },
);

/** Consumes the answers queue (answers the tick found uncounted): same work as the stream consumer. */
export const handler = (event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
};
