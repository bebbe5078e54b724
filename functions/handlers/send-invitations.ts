import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createCustomerRepository } from '../adapters/customer-repository';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createMailer } from '../adapters/mailer';
import { createStoreRepository } from '../adapters/store-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { aggregatesTable, customersTable, storesTable } from '../resources/tables';
import { InvitationTask } from '../schemas/survey';
import { tableNamesFrom } from '../shared/config';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { readInvitationSettings } from '../shared/settings';
import { handleInvitationTask } from '../use-cases/send-invitation';

const tables = tableNamesFrom({
  customers: customersTable,
  stores: storesTable,
  aggregates: aggregatesTable,
});
const settings = readInvitationSettings();
const dynamodb = new DynamoDBClient({});
const db = documentClientFor(dynamodb);
const queue = createTaskQueue(createSqsClient({}), settings.invitationsQueueUrl);
const { once, registerContext } = createOnce(dynamodb, settings.idempotencyTable);

const storeRepository = createStoreRepository(db, tables.stores);
const storeCache = new Map<string, ReturnType<typeof storeRepository.get>>();

const deps = {
  customers: createCustomerRepository(db, tables),
  stores: {
    // Stores change rarely; one read per store per container is plenty.
    get: (storeId: string) => {
      let store = storeCache.get(storeId);
      if (store === undefined) {
        store = storeRepository.get(storeId);
        storeCache.set(storeId, store);
        // A failed read (a throttled request) is not kept: it would fail every later task of the store.
        store.catch(() => storeCache.delete(storeId));
      }
      return store;
    },
  },
  surveys: createSurveyRepository(db, settings.surveysTable, tables),
  mailer: createMailer(new SESv2Client({}), {
    from: settings.senderAddress,
    configurationSet: settings.configurationSet,
  }),
  once,
  settings,
  newToken: () => randomBytes(16).toString('base64url'),
  newSurveyId: () => randomBytes(12).toString('base64url'),
};

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const task = InvitationTask.parse(JSON.parse(record.body));
    const result = await handleInvitationTask(task, deps);
    logger.info('invitation task done', { messageId: record.messageId, kind: task.kind, ...result });
    if (result.outcome === 'sent')
      countMetric(task.kind === 'invitation' ? 'InvitationsSent' : 'RemindersSent');
  },
  { queue, retryBaseSeconds: settings.retryBaseSeconds },
);

/** Consumes the invitations queue: renders and sends survey invitations and reminders through SES. */
export const handler = publishingMetrics((event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
});
