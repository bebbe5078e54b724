import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Context } from 'aws-lambda';
import { createCustomerRepository } from '../adapters/customer-repository';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createMailer, createSendQuota, pacedMailer } from '../adapters/mailer';
import { cachedStores, createStoreRepository } from '../adapters/store-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { createPacer, sendRatePerEnvironment } from '../domain/pacing';
import { sendInvitationsMaxConcurrency } from '../resources/manifests/concurrency';
import { aggregatesTable, customersTable, storesTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { logger } from '../shared/powertools';
import { readInvitationSettings } from '../shared/settings';
import type { SendInvitationDeps } from '../use-cases/send-invitation';

/** Time a task needs after its send (bookkeeping, SES's own retries): a send never waits into it. */
const afterSendMillis = 5_000;

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
  const { once, registerContext: registerIdempotency } = createOnce(dynamodb, settings.idempotencyTable);
  const ses = new SESv2Client({});
  const quota = createSendQuota(ses, {
    onFallback: (error) =>
      logger.warn('could not read the SES sending rate; sending at the fallback rate', {
        error: error as Error,
      }),
  });
  // This environment's share of the account's rate: every send of the container waits its turn.
  const ratePerSecond = async () =>
    sendRatePerEnvironment({
      accountRate: await quota.maxSendRate(),
      reservedShare: settings.reservedSendShare,
      maxConcurrency: sendInvitationsMaxConcurrency,
    });
  let remainingMillis = () => 30_000;
  const deps: SendInvitationDeps = {
    customers: createCustomerRepository(db, { customers: tables.customers }),
    // Stores change rarely; one read per store per container is plenty.
    stores: cachedStores(createStoreRepository(db, tables.stores)),
    surveys: createSurveyRepository(db, settings.surveysTable, tables),
    mailer: pacedMailer(
      createMailer(ses, { from: settings.senderAddress, configurationSet: settings.configurationSet }),
      { pacer: createPacer(), ratePerSecond, maxWaitMs: () => remainingMillis() - afterSendMillis },
    ),
    once,
    settings,
    newToken: () => randomBytes(16).toString('base64url'),
    newSurveyId: () => randomBytes(12).toString('base64url'),
  };
  return {
    deps,
    /** Binds the invocation: its idempotency records' expiry, and how long a send may wait for its slot. */
    registerContext: (context: Context) => {
      registerIdempotency(context);
      remainingMillis = () => context.getRemainingTimeInMillis();
    },
    queue: createTaskQueue(createSqsClient({}), settings.invitationsQueueUrl),
    retryBaseSeconds: settings.retryBaseSeconds,
  };
};
