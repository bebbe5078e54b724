import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { createWebhookRepository } from '../adapters/webhook-repository';
import { createWebhookSender } from '../adapters/webhook-sender';
import { webhooksQueue } from '../resources/queues';
import { idempotencyTable, webhookDeliveriesTable, webhookEndpointsTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import { logger } from '../shared/powertools';
import { wholeNumber } from '../shared/settings';

/** What the webhooks function (deliveries) runs with (see its manifest). */
export const webhooksWiring = () => {
  const tables = tableNamesFrom({
    endpoints: webhookEndpointsTable,
    deliveries: webhookDeliveriesTable,
    idempotency: idempotencyTable,
  });
  const config = readConfig({
    [webhooksQueue.envVar]: z.string().check(z.minLength(1)),
    RETRY_BASE_SECONDS: wholeNumber(30),
  });
  const dynamodb = new DynamoDBClient({});
  const { once, registerContext } = createOnce(dynamodb, tables.idempotency);
  return {
    deps: {
      endpoints: createWebhookRepository(documentClientFor(dynamodb), tables),
      sender: createWebhookSender(),
      once,
      onLogFailed: (error: unknown) =>
        logger.warn('a delivery attempt could not be logged', { error: error as Error }),
    },
    registerContext,
    queue: createTaskQueue(createSqsClient(), config[webhooksQueue.envVar]),
    retryBaseSeconds: config.RETRY_BASE_SECONDS,
  };
};

/** What the webhook-events function (the outbox's fan-out) runs with (see its manifest). */
export const webhookEventsWiring = () => {
  const tables = tableNamesFrom({ endpoints: webhookEndpointsTable });
  const config = readConfig({ [webhooksQueue.envVar]: z.string().check(z.minLength(1)) });
  return {
    deps: {
      endpoints: createWebhookRepository(documentClientFor(new DynamoDBClient({})), tables),
      deliveries: createTaskQueue(createSqsClient(), config[webhooksQueue.envVar]),
    },
  };
};
