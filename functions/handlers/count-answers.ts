import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { createAnswerRepository } from '../adapters/answer-repository';
import { createCustomerRepository } from '../adapters/customer-repository';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { answersQueue, followUpsQueue } from '../resources/queues';
import {
  aggregatesTable,
  customerEmailsTable,
  customersTable,
  idempotencyTable,
  surveysTable,
} from '../resources/tables';
import { CountAnswerTask } from '../schemas/answer';
import { readConfig, tableNamesFrom } from '../shared/config';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { countAnswer } from '../use-cases/count-answer';

const tables = tableNamesFrom({
  customers: customersTable,
  customerEmails: customerEmailsTable,
  surveys: surveysTable,
  aggregates: aggregatesTable,
  idempotency: idempotencyTable,
});
const url = () => z.string().check(z.minLength(1));
const queues = readConfig({ [answersQueue.envVar]: url(), [followUpsQueue.envVar]: url() });
const dynamodb = new DynamoDBClient({});
const db = documentClientFor(dynamodb);
const sqs = createSqsClient();
const { once, registerContext } = createOnce(dynamodb, tables.idempotency);
const deps = {
  surveys: createSurveyRepository(db, tables.surveys),
  answers: createAnswerRepository(db, tables),
  customers: createCustomerRepository(db, tables),
  followUps: createTaskQueue(sqs, queues[followUpsQueue.envVar]),
  once,
};

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const { token } = CountAnswerTask.parse(JSON.parse(record.body));
    const outcome = await countAnswer(deps, token);
    logger.debug('answer counted', { messageId: record.messageId, outcome });
  },
  { queue: createTaskQueue(sqs, queues[answersQueue.envVar]), retryBaseSeconds: 1 },
);

/** Consumes the answers queue: exact aggregates, the customer's latest score, detractor hand-off. */
export const handler = (event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
};
