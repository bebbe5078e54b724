import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createCustomerRepository } from '../adapters/customer-repository';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createMailer } from '../adapters/mailer';
import { cachedStores, createStoreRepository } from '../adapters/store-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { aggregatesTable, customersTable, storesTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { readInvitationSettings } from '../shared/settings';
import type { SendInvitationDeps } from '../use-cases/send-invitation';

/** What the invitation sender runs with (see its manifest). */
export const sendInvitationsWiring = () => {
  const tables = tableNamesFrom({
    customers: customersTable,
    stores: storesTable,
    aggregates: aggregatesTable,
  });
  const settings = readInvitationSettings();
  const dynamodb = new DynamoDBClient({});
  const db = documentClientFor(dynamodb);
  const { once, registerContext } = createOnce(dynamodb, settings.idempotencyTable);
  const deps: SendInvitationDeps = {
    customers: createCustomerRepository(db, { customers: tables.customers }),
    // Stores change rarely; one read per store per container is plenty.
    stores: cachedStores(createStoreRepository(db, tables.stores)),
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
  return {
    deps,
    registerContext,
    queue: createTaskQueue(createSqsClient({}), settings.invitationsQueueUrl),
    retryBaseSeconds: settings.retryBaseSeconds,
  };
};
