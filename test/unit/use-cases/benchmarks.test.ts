import { beforeEach, describe, expect, it } from 'vitest';
import type { Access } from '../../../functions/domain/access';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../functions/domain/errors';
import {
  type BenchmarkDeps,
  listBenchmarks,
  putBenchmark,
  removeBenchmark,
} from '../../../functions/use-cases/benchmarks';
import { buildReport } from '../../../functions/use-cases/report';
import { createAggregateTable } from '../../support/in-memory-aggregates';
import { createBenchmarkTable } from '../../support/in-memory-benchmarks';
import { fixedClock } from '../../support/in-memory-effects';
import { aStore, createStoreTable } from '../../support/in-memory-stores';

const marketing: Access = { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' };
const manager: Access = {
  kind: 'stores',
  user: 'sam@example.com',
  sub: 'sub-sam',
  storeIds: new Set(['S1']),
};
const industry = { name: 'Industry median', value: 16, sampleSize: 1200, date: '2026-06-30' };

let table: ReturnType<typeof createBenchmarkTable>;
let deps: BenchmarkDeps;

beforeEach(() => {
  table = createBenchmarkTable();
  deps = {
    benchmarks: table.repository,
    stores: createStoreTable(aStore(), aStore({ storeId: 'S2', name: 'Boston' })).repository,
    clock: fixedClock('2026-11-20T12:00:00.000Z').clock,
  };
});

const validationIssues = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return { message: (error as ValidationError).message, issues: (error as ValidationError).issues };
};

describe('putBenchmark', () => {
  it('stores a benchmark under the slug of its name, with who set it and when', async () => {
    const { benchmark, outcome } = await putBenchmark(deps, marketing, undefined, industry);

    expect(outcome).toBe('created');
    expect(benchmark).toEqual({
      benchmarkId: 'industry-median',
      ...industry,
      updatedAt: '2026-11-20T12:00:00.000Z',
      updatedBy: 'mia@example.com',
    });
    expect(await listBenchmarks(deps, marketing)).toEqual([benchmark]);
  });

  it('changes nothing when the same figure is put again, and replaces it when the figure changes', async () => {
    await putBenchmark(deps, marketing, undefined, industry);
    const again = await putBenchmark(deps, marketing, 'industry-median', industry);
    expect(again.outcome).toBe('unchanged');
    expect(table.writes).toBe(1);

    const { sampleSize: _, ...withoutSample } = industry;
    const changed = await putBenchmark(deps, marketing, undefined, { ...withoutSample, value: 18 });
    expect(changed.outcome).toBe('updated');
    expect(await listBenchmarks(deps, marketing)).toEqual([
      expect.not.objectContaining({ sampleSize: expect.anything() }),
    ]);
    expect((await listBenchmarks(deps, marketing))[0]?.value).toBe(18);
  });

  it('names each bad field in a 400', async () => {
    const { message, issues } = await validationIssues(
      putBenchmark(deps, marketing, undefined, {
        name: '',
        value: 120,
        sampleSize: 12.5,
        date: '2026-02-30',
      }),
    );
    expect(message).toMatch(/^The benchmark is not valid: /);
    expect(issues).toEqual([
      'name: is required',
      'value: must be from -100 to 100',
      'sampleSize: must be a positive whole number of responses',
      'date: is not a day of the calendar',
    ]);
    expect(
      (
        await validationIssues(
          putBenchmark(deps, marketing, undefined, { ...industry, value: '16', sampleSize: 0 }),
        )
      ).issues,
    ).toEqual([
      'value: must be a number from -100 to 100',
      'sampleSize: must be a positive whole number of responses',
    ]);
    expect(
      (
        await validationIssues(
          putBenchmark(deps, marketing, undefined, { ...industry, name: 'x'.repeat(101) }),
        )
      ).issues,
    ).toEqual(['name: must be at most 100 characters']);
    expect(table.writes).toBe(0);
  });

  it('refuses a bad id, a name it cannot make an id of, and a store not in the registry', async () => {
    expect((await validationIssues(putBenchmark(deps, marketing, 'Industry Median', industry))).message).toBe(
      'The benchmark id "Industry Median" must be 1 to 64 lower-case letters, digits or hyphens, starting and ending with a letter or digit.',
    );
    expect(
      (await validationIssues(putBenchmark(deps, marketing, undefined, { ...industry, name: '競合' })))
        .message,
    ).toMatch(/has no Latin letter or digit to make an id of: give an id/);
    expect(
      (await validationIssues(putBenchmark(deps, marketing, undefined, { ...industry, storeId: 'S9' })))
        .message,
    ).toBe('storeId: there is no store S9 in the registry.');
    const forStore = await putBenchmark(deps, marketing, 'rival', { ...industry, storeId: 'S2' });
    expect(forStore.benchmark.storeId).toBe('S2');
  });

  it('is for marketing and admins only', async () => {
    await expect(putBenchmark(deps, manager, undefined, industry)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listBenchmarks(deps, manager)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(removeBenchmark(deps, manager, 'industry-median')).rejects.toBeInstanceOf(ForbiddenError);
    expect(table.writes).toBe(0);
  });
});

describe('removeBenchmark', () => {
  it('removes a benchmark, and says when there is none', async () => {
    await putBenchmark(deps, marketing, undefined, industry);
    await removeBenchmark(deps, marketing, 'industry-median');
    expect(await listBenchmarks(deps, marketing)).toEqual([]);
    await expect(removeBenchmark(deps, marketing, 'industry-median')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('buildReport with benchmarks', () => {
  it('adds the gap to each benchmark, read in one scan, and none without a benchmarks reader', async () => {
    const aggregates = createAggregateTable();
    // Lyon 21/9/6 (NPS 41.7), Boston nothing.
    aggregates.add('S1', '2026-11-02', { invited: 40, promoters: 21, passives: 9, detractors: 6 });
    await putBenchmark(deps, marketing, undefined, { name: 'Industry', value: 10, date: '2026-06-30' });
    await putBenchmark(deps, marketing, 'rival-boston', {
      name: 'Rival Boston',
      value: 30,
      sampleSize: 200,
      date: '2026-06-30',
      storeId: 'S2',
    });
    const reportDeps = {
      aggregates: aggregates.repository,
      stores: createStoreTable(aStore(), aStore({ storeId: 'S2', name: 'Boston' })).repository,
      benchmarks: table.repository,
    };
    const query = { from: '2026-11-01', to: '2026-11-30', by: 'month' } as const;
    const report = await buildReport(reportDeps, marketing, query);

    expect(table.scans).toBe(1);
    expect(
      report.benchmarks.map(({ benchmarkId, test, storeId }) => ({ benchmarkId, test, storeId })),
    ).toEqual([
      { benchmarkId: 'industry', test: 'fixed-value', storeId: null },
      { benchmarkId: 'rival-boston', test: 'two-sample', storeId: 'S2' },
    ]);
    // The hand-computed case of the domain tests: 41.7 against a fixed 10, z = 2.3282.
    expect(report.benchmarks[0]?.gap?.z).toBeCloseTo(2.3282, 4);
    expect(
      report.benchmarks[0]?.stores.map((store) => [store.storeId, store.gap?.significant ?? null]),
    ).toEqual([
      ['S1', true],
      ['S2', null],
    ]);
    expect(report.benchmarks[1]?.gap).toBeNull();

    // A manager of Lyon sees the chain-wide benchmark against Lyon, not Boston's rival.
    const managed = await buildReport(reportDeps, manager, query);
    expect(managed.benchmarks.map((benchmark) => benchmark.benchmarkId)).toEqual(['industry']);

    const without = await buildReport(
      { aggregates: aggregates.repository, stores: reportDeps.stores },
      marketing,
      query,
    );
    expect(without.benchmarks).toEqual([]);
  });
});
