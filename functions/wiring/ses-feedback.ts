import * as z from 'zod/mini';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { sesFeedbackQueue } from '../resources/queues';
import { customerEmailsTable, customersTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';

/** What the SES feedback function runs with (see its manifest). */
export const sesFeedbackWiring = () => {
  const tables = tableNamesFrom({ customers: customersTable, customerEmails: customerEmailsTable });
  const config = readConfig({ [sesFeedbackQueue.envVar]: z.string().check(z.minLength(1)) });
  return {
    deps: { customers: createCustomerRepository(createDocumentClient(), tables) },
    queue: createTaskQueue(createSqsClient({}), config[sesFeedbackQueue.envVar]),
  };
};
