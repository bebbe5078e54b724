import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod/mini';
import { createAggregateRepository } from '../adapters/aggregate-repository';
import { createCaseRepository } from '../adapters/case-repository';
import { getCustomer } from '../adapters/customer-repository';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createMailer } from '../adapters/mailer';
import { createStoreRepository } from '../adapters/store-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { createWebhookOutbox } from '../adapters/webhook-outbox';
import { chatPostsQueue, followUpsQueue } from '../resources/queues';
import {
  aggregatesTable,
  casesTable,
  customersTable,
  idempotencyTable,
  storesTable,
  webhookEventsTable,
} from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import { wholeNumber } from '../shared/settings';

/** What the follow-up function runs with (see its manifest). */
export const followUpsWiring = () => {
  const tables = tableNamesFrom({
    cases: casesTable,
    aggregates: aggregatesTable,
    customers: customersTable,
    stores: storesTable,
    idempotency: idempotencyTable,
    webhookEvents: webhookEventsTable,
  });
  const config = readConfig({
    [followUpsQueue.envVar]: z.string().check(z.minLength(1)),
    [chatPostsQueue.envVar]: z.string().check(z.minLength(1)),
    SENDER_ADDRESS: z.string().check(z.minLength(1)),
    SES_CONFIGURATION_SET: z.optional(z.string()),
    PUBLIC_API_URL: z.url(),
    RETRY_BASE_SECONDS: wholeNumber(30),
    /**
     * A case's owner gets one update e-mail per this many seconds at most, covering the changes since
     * the one before. 15 minutes: SQS's longest delay (one delayed task carries the coalesced e-mail),
     * long enough to gather a customer's burst of edits, short beside the 24-hour call deadline.
     */
    CASE_UPDATE_MAIL_SECONDS: wholeNumber(900),
  });
  const dynamodb = new DynamoDBClient({});
  const db = documentClientFor(dynamodb);
  const { once, registerContext } = createOnce(dynamodb, tables.idempotency);
  const sqs = createSqsClient();
  const queue = createTaskQueue(sqs, config[followUpsQueue.envVar]);
  return {
    deps: {
      cases: createCaseRepository(db, tables.cases, tables.aggregates),
      customers: { get: (customerId: string) => getCustomer(db, tables.customers, customerId) },
      stores: createStoreRepository(db, tables.stores),
      aggregates: createAggregateRepository(db, tables.aggregates),
      mailer: createMailer(new SESv2Client({}), {
        from: config.SENDER_ADDRESS,
        configurationSet: config.SES_CONFIGURATION_SET || undefined,
      }),
      once,
      casesUrl: `${config.PUBLIC_API_URL.replace(/\/+$/, '')}/m`,
      caseUpdates: { intervalSeconds: config.CASE_UPDATE_MAIL_SECONDS, queue },
      chatPosts: createTaskQueue(sqs, config[chatPostsQueue.envVar]),
      webhookEvents: createWebhookOutbox(db, tables.webhookEvents),
    },
    registerContext,
    queue,
    retryBaseSeconds: config.RETRY_BASE_SECONDS,
  };
};
