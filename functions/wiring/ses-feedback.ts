import * as z from 'zod/mini';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { createWebhookOutbox } from '../adapters/webhook-outbox';
import { sesFeedbackQueue } from '../resources/queues';
import { customerEmailsTable, customersTable, webhookEventsTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';

/** What the SES feedback function runs with (see its manifest). */
export const sesFeedbackWiring = () => {
  const tables = tableNamesFrom({
    customers: customersTable,
    customerEmails: customerEmailsTable,
    webhookEvents: webhookEventsTable,
  });
  const config = readConfig({ [sesFeedbackQueue.envVar]: z.string().check(z.minLength(1)) });
  return {
    deps: (() => {
      const db = createDocumentClient();
      return {
        customers: createCustomerRepository(db, tables),
        webhookEvents: createWebhookOutbox(db, tables.webhookEvents),
      };
    })(),
    queue: createTaskQueue(createSqsClient({}), config[sesFeedbackQueue.envVar]),
  };
};
