import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { createSqsClient } from '../functions/adapters/task-queue';
import { DEFAULT_HOLD_SECONDS } from '../functions/domain/answer-trust';
import { registryTables } from '../functions/shared/config';
import { scheduleDeps } from '../functions/wiring/tick';
import { startApiServer } from '../local/api-server';
import { createQueueConsumers } from '../local/runtime';
import { type HarnessFigures, runScannerHarness } from '../test/support/scanner-harness';

/**
 * The scanner harness at benchmark scale, with the hold of a real deployment: simulated link scanners
 * of every kind and simulated people answer on the local runtime (as under `npm start`). The process
 * environment must point at the namespace's tables, queues and emulators.
 */
export const benchScanners = async (
  env: Record<string, string>,
  scale: { scannersPerKind: number; peoplePerKind: number },
): Promise<HarnessFigures> => {
  const db = createDocumentClient();
  const tables = registryTables(env);
  const api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  const consumers = createQueueConsumers(env);
  consumers.start();
  try {
    return await runScannerHarness(
      {
        apiUrl: api.url,
        sesEndpoint: env.AWS_ENDPOINT_URL_SESV2 ?? '',
        db,
        surveysTable: env.SURVEYS_TABLE ?? '',
        casesTable: env.CASES_TABLE ?? '',
        stores: createStoreRepository(db, tables.stores),
        customers: createCustomerRepository(db, tables),
        schedule: scheduleDeps(db, createSqsClient(), env),
        sendInvitations: () => consumers.invitations.drain(120_000),
        holdSeconds: Number(env.ANSWER_HOLD_SECONDS ?? DEFAULT_HOLD_SECONDS),
      },
      { ...scale, label: 'benchscanners' },
    );
  } finally {
    await consumers.stop();
    await api.stop();
  }
};
