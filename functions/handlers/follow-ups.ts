import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { createAggregateRepository } from '../adapters/aggregate-repository';
import { createCaseRepository } from '../adapters/case-repository';
import { createCustomerRepository } from '../adapters/customer-repository';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createMailer } from '../adapters/mailer';
import { createStoreRepository } from '../adapters/store-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { followUpsQueue } from '../resources/queues';
import {
  aggregatesTable,
  casesTable,
  customersTable,
  idempotencyTable,
  storesTable,
} from '../resources/tables';
import { FollowUpTask } from '../schemas/answer';
import { readConfig, tableNamesFrom } from '../shared/config';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { handleFollowUpTask } from '../use-cases/follow-up';

const tables = tableNamesFrom({
  cases: casesTable,
  aggregates: aggregatesTable,
  customers: customersTable,
  stores: storesTable,
  idempotency: idempotencyTable,
});
const config = readConfig({
  [followUpsQueue.envVar]: z.string().check(z.minLength(1)),
  SENDER_ADDRESS: z.string().check(z.minLength(1)),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  PUBLIC_API_URL: z.url(),
  RETRY_BASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 30),
});
const dynamodb = new DynamoDBClient({});
const db = documentClientFor(dynamodb);
const { once, registerContext } = createOnce(dynamodb, tables.idempotency);
const deps = {
  cases: createCaseRepository(db, tables.cases),
  customers: createCustomerRepository(db, tables),
  stores: createStoreRepository(db, tables.stores),
  aggregates: createAggregateRepository(db, tables.aggregates),
  mailer: createMailer(new SESv2Client({}), {
    from: config.SENDER_ADDRESS,
    configurationSet: config.SES_CONFIGURATION_SET || undefined,
  }),
  once,
  casesUrl: `${config.PUBLIC_API_URL.replace(/\/+$/, '')}/m`,
};

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const task = FollowUpTask.parse(JSON.parse(record.body));
    const outcome = await handleFollowUpTask(deps, task);
    logger.info('follow-up task done', { messageId: record.messageId, kind: task.kind, outcome });
    if (outcome === 'opened') countMetric('DetractorCasesOpened');
  },
  {
    queue: createTaskQueue(createSqsClient(), config[followUpsQueue.envVar]),
    retryBaseSeconds: config.RETRY_BASE_SECONDS,
  },
);

/** Consumes the follow-up queue: opens detractor cases, alerts managers, notes changes, escalates. */
export const handler = publishingMetrics((event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
});
