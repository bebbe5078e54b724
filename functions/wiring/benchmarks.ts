import { createBenchmarkRepository } from '../adapters/benchmark-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { benchmarksTable, storesTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import type { BenchmarkDeps } from '../use-cases/benchmarks';

/** What the benchmarks API runs with (see its manifest). */
export const benchmarksWiring = (): BenchmarkDeps => {
  const tables = tableNamesFrom({ benchmarks: benchmarksTable, stores: storesTable });
  const db = createDocumentClient();
  return {
    benchmarks: createBenchmarkRepository(db, tables.benchmarks),
    stores: createStoreRepository(db, tables.stores),
  };
};
