import { recordsOf } from '../cli/csv-files';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { createSqsClient } from '../functions/adapters/task-queue';
import { addDays } from '../functions/domain/schedule';
import { customerCsvColumns } from '../functions/schemas/customer';
import { storeCsvColumns } from '../functions/schemas/store';
import { registryTables } from '../functions/shared/config';
import { importCustomers } from '../functions/use-cases/import-customers';
import { importStores } from '../functions/use-cases/import-stores';
import { runTick } from '../functions/use-cases/schedule-surveys';
import { scheduleDeps } from '../functions/wiring/tick';
import { startApiServer } from '../local/api-server';
import { createQueueConsumers } from '../local/runtime';

interface StoredEmail {
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
}

const emails = async (sesEndpoint: string) =>
  ((await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: StoredEmail[] }).emails;

/**
 * Median time from a detractor's answer (POST to the local API) to the store manager's alert in the
 * SES emulator, with the local runtime running as under `npm start` (stream and queue pollers).
 * The process environment must point at the namespace's tables, queues and emulators.
 */
export const benchClickToAlert = async (env: Record<string, string>, samples: number) => {
  const db = createDocumentClient();
  const tables = registryTables(env);
  const stores = createStoreRepository(db, tables.stores);
  const manager = 'manager.bench@stores.example.com';
  await importStores(recordsOf([[...storeCsvColumns], ['SB', 'Bench Store', manager, '', 'Europe/Paris']]), {
    stores,
  });
  const ids = Array.from({ length: samples }, (_, n) => `CTA${n}`);
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...ids.map((id) => [id, `${id.toLowerCase()}@bench.example.com`, 'Bo', id, 'SB', 'en']),
    ]),
    { customers: createCustomerRepository(db, tables), stores },
  );
  const api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  const consumers = createQueueConsumers(env);
  try {
    await runTick(scheduleDeps(db, createSqsClient(), env), addDays(new Date(), 30));
    await consumers.invitations.drain(120_000);
    consumers.start();
    const invitations = await emails(env.AWS_ENDPOINT_URL_SESV2 ?? '');
    const millis: number[] = [];
    for (const id of ids) {
      const invitation = invitations.find(
        (email) => email.destination.to[0] === `${id.toLowerCase()}@bench.example.com`,
      );
      const token = /\/s\/([A-Za-z0-9_-]{22})\?/.exec(invitation?.body.html ?? '')?.[1] ?? '';
      const started = performance.now();
      const response = await fetch(`${api.url}/s/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ score: 2, comment: `Long wait (${id})` }),
      });
      if (!response.ok) throw new Error(`answer failed: ${response.status}`);
      for (;;) {
        const alert = (await emails(env.AWS_ENDPOINT_URL_SESV2 ?? '')).find(
          (email) => email.destination.to[0] === manager && (email.body.text ?? '').includes(`(${id})`),
        );
        if (alert) break;
        if (performance.now() - started > 30_000) throw new Error(`no alert for ${id} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      millis.push(performance.now() - started);
    }
    const sorted = [...millis].sort((a, b) => a - b);
    return {
      samples,
      medianMillis: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      maxMillis: sorted.at(-1) ?? Number.NaN,
    };
  } finally {
    await consumers.stop();
    await api.stop();
  }
};
