import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recordsOf } from '../cli/csv-files';
import { createBenchmarkRepository } from '../functions/adapters/benchmark-repository';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { benchmarksTable } from '../functions/resources/tables';
import { registryTables, tableNamesFrom } from '../functions/shared/config';
import { putBenchmark } from '../functions/use-cases/benchmarks';
import { importCustomers } from '../functions/use-cases/import-customers';
import { importStores } from '../functions/use-cases/import-stores';
import { demoCustomerRows, demoStoreRows } from './demo-data';
import { seedDemoHistory } from './demo-history';

/** Loads the demo stores and customers through the same import use cases as the CLI. */
export const seedDemoData = async (
  db: DynamoDBDocumentClient,
  env: Readonly<Record<string, string>>,
  {
    stores = 8,
    customers = 500,
    withHistory = true,
  }: { stores?: number; customers?: number; withHistory?: boolean } = {},
) => {
  const tables = registryTables(env);
  const storeRepository = createStoreRepository(db, tables.stores);
  const storeSummary = await importStores(recordsOf(demoStoreRows(stores)), { stores: storeRepository });
  const customerSummary = await importCustomers(recordsOf(demoCustomerRows(customers, stores)), {
    customers: createCustomerRepository(db, tables),
    stores: storeRepository,
  });
  // A past half-year of surveys and answers, so reports and the dashboard have something to show;
  // only on a fresh table (a kept data directory already has its history).
  const history =
    withHistory && customerSummary.created === customers
      ? await seedDemoHistory(
          db,
          env,
          [...demoCustomerRows(customers, stores)]
            .slice(1)
            .map(([customerId = '', , , , storeId = '', locale = 'en']) => ({ customerId, storeId, locale })),
        )
      : undefined;
  // Two public benchmarks with the demo history, so the dashboard's benchmark panel has something to show.
  if (history !== undefined) {
    const deps = {
      benchmarks: createBenchmarkRepository(
        db,
        tableNamesFrom({ benchmarks: benchmarksTable }, env).benchmarks,
      ),
      stores: storeRepository,
    };
    const demo = { kind: 'all-stores', user: 'demo', sub: 'demo', role: 'admin' } as const;
    await putBenchmark(deps, demo, undefined, { name: 'Industry median', value: 16, date: '2026-06-30' });
    await putBenchmark(deps, demo, undefined, {
      name: 'SurveyMonkey average',
      value: 32,
      date: '2026-06-30',
    });
  }
  return { stores: storeSummary, customers: customerSummary, history };
};
