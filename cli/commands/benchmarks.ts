import type { Command } from 'commander';
import { createBenchmarkRepository } from '../../functions/adapters/benchmark-repository';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import type { Access } from '../../functions/domain/access';
import { ForbiddenError, NotFoundError, ValidationError } from '../../functions/domain/errors';
import { benchmarksTable, storesTable } from '../../functions/resources/tables';
import type { BenchmarkRecord } from '../../functions/schemas/benchmark';
import type { BenchmarkComparison, NpsChange } from '../../functions/schemas/report';
import { tableNamesFrom } from '../../functions/shared/config';
import { listBenchmarks, putBenchmark, removeBenchmark } from '../../functions/use-cases/benchmarks';
import { UsageError } from '../errors';
import { resolveTarget, type Target } from '../target';
import { jsonLine, type Terminal, textTable } from '../terminal';

/** The CLI works with the target's own credentials: an operator, who sees every store. */
const cliAccess: Access = { kind: 'all-stores', user: 'cli', sub: 'cli', role: 'admin' };

const benchmarkDeps = (target: Target) => {
  const db = target.documentClient();
  const tables = tableNamesFrom({ benchmarks: benchmarksTable, stores: storesTable }, target.env);
  return {
    benchmarks: createBenchmarkRepository(db, tables.benchmarks),
    stores: createStoreRepository(db, tables.stores),
  };
};

/** Bad input or an unknown id is the user's to fix: a usage error with its message. */
const asUsage = async <Result>(work: () => Promise<Result>): Promise<Result> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError || error instanceof NotFoundError || error instanceof ForbiddenError)
      throw new UsageError(error.message);
    throw error;
  }
};

/** A number as typed (`16`, `-12.5`), or the text itself, which the schema then refuses with its message. */
const numberOrText = (text: string): number | string =>
  /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text.trim()) ? Number(text) : text;

const scopeOf = (storeId: string | null | undefined) => (storeId ? `store ${storeId}` : 'chain');

export const formatBenchmarks = (benchmarks: readonly BenchmarkRecord[]) => {
  if (benchmarks.length === 0) return 'No benchmarks. Add one with `closeloop benchmarks add`.\n';
  const header = ['ID', 'NAME', 'NPS', 'SAMPLE', 'DATE', 'FOR'];
  const rows = benchmarks.map((benchmark) => [
    benchmark.benchmarkId,
    benchmark.name,
    String(benchmark.value),
    benchmark.sampleSize === undefined ? '–' : String(benchmark.sampleSize),
    benchmark.date,
    scopeOf(benchmark.storeId),
  ]);
  return `${textTable(header, rows)}\n`;
};

const signed = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(1)}`;

/** `+12.0 ▲` when we are significantly above, `-9.0 ▼` below, the bare gap when it is noise. */
export const formatGap = (gap: NpsChange | null) =>
  gap === null ? '–' : `${signed(gap.difference)}${gap.significant ? (gap.z > 0 ? ' ▲' : ' ▼') : ''}`;

/** The report's benchmark section: one line per benchmark, then each store's gap to chain-wide ones. */
export const formatBenchmarkSection = (benchmarks: readonly BenchmarkComparison[]): string[] => {
  if (benchmarks.length === 0) return [];
  const storeIds = [
    ...new Set(benchmarks.flatMap((benchmark) => benchmark.stores.map((store) => store.storeId))),
  ];
  const header = ['benchmark', 'NPS', 'sample', 'date', 'for', 'gap', ...storeIds];
  const rows = benchmarks.map((benchmark) => [
    benchmark.name,
    String(benchmark.value),
    benchmark.sampleSize === null ? 'fixed' : String(benchmark.sampleSize),
    benchmark.date,
    benchmark.storeId === null ? 'all' : benchmark.storeId,
    formatGap(benchmark.gap),
    ...storeIds.map((storeId) => {
      const store = benchmark.stores.find((candidate) => candidate.storeId === storeId);
      return store === undefined ? '' : formatGap(store.gap);
    }),
  ]);
  return [
    textTable(header, rows),
    '',
    'gap: our NPS minus the benchmark’s (▲ / ▼: significant at 95%). sample “fixed”: no sample size, taken as an exact value (only our margin counts).',
    '',
  ];
};

/** `closeloop benchmarks add|list|remove`: competitor and industry NPS figures that reports compare with. */
export const registerBenchmarksCommand = (program: Command, terminal: Terminal) => {
  const benchmarks = program
    .command('benchmarks')
    .description(
      'Competitor and industry NPS figures. Every report and the dashboard show our gap to each and ' +
        'whether it is significant at 95%.',
    );

  benchmarks
    .command('add')
    .description(
      'Add or replace a benchmark. Its id is a slug of its name unless --id is given: adding the same ' +
        'name again replaces the figure, so it is safe to run again.',
    )
    .requiredOption('--name <name>', 'who or what it measures, 1 to 100 characters (e.g. "Industry median")')
    .requiredOption('--value <nps>', 'its NPS, from -100 to 100 (negative: --value=-12)', numberOrText)
    .requiredOption('--date <date>', 'the day the figure is of (YYYY-MM-DD)')
    .option(
      '--sample-size <responses>',
      'the responses it rests on, if known (without it the figure is taken as exact)',
      numberOrText,
    )
    .option('--store <storeId>', 'compare it with this store only (default: the whole chain)')
    .option('--id <id>', 'its id (lower-case letters, digits, hyphens); default: a slug of the name')
    .option('--json', 'print the benchmark as JSON, with outcome: created|updated|unchanged')
    .action(
      async (options: {
        name: string;
        value: number | string;
        date: string;
        sampleSize?: number | string;
        store?: string;
        id?: string;
        json?: boolean;
      }) => {
        const { benchmark, outcome } = await asUsage(() =>
          putBenchmark(benchmarkDeps(resolveTarget()), cliAccess, options.id, {
            name: options.name,
            value: options.value,
            date: options.date,
            ...(options.sampleSize !== undefined && { sampleSize: options.sampleSize }),
            ...(options.store !== undefined && { storeId: options.store }),
          }),
        );
        const what = `${benchmark.benchmarkId} (${benchmark.name}, NPS ${benchmark.value} on ${benchmark.date}, ${scopeOf(benchmark.storeId)})`;
        terminal.stdout.write(
          options.json === true
            ? jsonLine({ ...benchmark, outcome })
            : outcome === 'unchanged'
              ? `Benchmark ${what} is already set: nothing to change.\n`
              : `${outcome === 'created' ? 'Added' : 'Updated'} benchmark ${what}.\n`,
        );
      },
    );

  benchmarks
    .command('list')
    .description('List the benchmarks.')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const list = await listBenchmarks(benchmarkDeps(resolveTarget()), cliAccess);
      terminal.stdout.write(options.json === true ? jsonLine(list) : formatBenchmarks(list));
    });

  benchmarks
    .command('remove')
    .argument('<id>', 'the benchmark id (see benchmarks list)')
    .description('Remove a benchmark: reports no longer compare with it.')
    .action(async (id: string) => {
      await asUsage(() => removeBenchmark(benchmarkDeps(resolveTarget()), cliAccess, id));
      terminal.stdout.write(`Removed benchmark ${id}.\n`);
    });
};
