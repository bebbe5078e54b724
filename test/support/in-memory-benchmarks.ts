import type { BenchmarkRecord } from '../../functions/schemas/benchmark';

/** The benchmarks table in memory, behind the repository's methods; `writes` counts puts and removals. */
export const createBenchmarkTable = (...benchmarks: BenchmarkRecord[]) => {
  const byId = new Map(benchmarks.map((benchmark) => [benchmark.benchmarkId, benchmark]));
  const table = {
    writes: 0,
    scans: 0,
    repository: {
      get: async (benchmarkId: string) => structuredClone(byId.get(benchmarkId)),
      listAll: async () => {
        table.scans += 1;
        return [...byId.values()].map((benchmark) => structuredClone(benchmark));
      },
      put: async (benchmark: BenchmarkRecord) => {
        table.writes += 1;
        byId.set(benchmark.benchmarkId, structuredClone(benchmark));
      },
      remove: async (benchmarkId: string) => {
        table.writes += 1;
        return byId.delete(benchmarkId);
      },
    },
  };
  return table;
};
