import { describe, expect, it } from 'vitest';
import { formatBenchmarks, formatGap } from '../../../cli/commands/benchmarks';
import { formatReport } from '../../../cli/commands/report';
import { buildReport } from '../../../functions/use-cases/report';
import { createAggregateTable } from '../../support/in-memory-aggregates';
import { createBenchmarkTable } from '../../support/in-memory-benchmarks';
import { aStore, createStoreTable } from '../../support/in-memory-stores';

const setBy = { updatedAt: '2026-11-20T12:00:00.000Z', updatedBy: 'cli' };

describe('formatGap', () => {
  it('marks only a significant gap, above or below', () => {
    expect(formatGap({ difference: 31.7, z: 2.33, significant: true })).toBe('+31.7 ▲');
    expect(formatGap({ difference: -40, z: -2.5, significant: true })).toBe('-40.0 ▼');
    expect(formatGap({ difference: 25.7, z: 1.84, significant: false })).toBe('+25.7');
    expect(formatGap(null)).toBe('–');
  });
});

describe('formatBenchmarks', () => {
  it('lists each benchmark in a table, a dash for an unknown sample size', () => {
    const text = formatBenchmarks([
      { benchmarkId: 'industry-median', name: 'Industry median', value: 16, date: '2026-06-30', ...setBy },
      {
        benchmarkId: 'rival',
        name: 'Rival',
        value: -5,
        sampleSize: 300,
        date: '2026-05-01',
        storeId: 'S2',
        ...setBy,
      },
    ]);
    expect(text.split('\n')).toEqual([
      'ID               NAME             NPS  SAMPLE  DATE        FOR',
      'industry-median  Industry median  16   –       2026-06-30  chain',
      'rival            Rival            -5   300     2026-05-01  store S2',
      '',
    ]);
    expect(formatBenchmarks([])).toBe('No benchmarks. Add one with `closeloop benchmarks add`.\n');
  });
});

describe('formatReport with benchmarks', () => {
  it('ends with the gap to each benchmark, overall and per store, and a legend', async () => {
    const aggregates = createAggregateTable();
    aggregates.add('S1', '2026-11-05', { invited: 40, promoters: 21, passives: 9, detractors: 6 });
    const report = await buildReport(
      {
        aggregates: aggregates.repository,
        stores: createStoreTable(aStore(), aStore({ storeId: 'S2', name: 'Boston' })).repository,
        benchmarks: createBenchmarkTable({
          benchmarkId: 'industry',
          name: 'Industry',
          value: 10,
          date: '2026-06-30',
          ...setBy,
        }).repository,
      },
      { kind: 'all-stores', user: 'cli', sub: 'cli', role: 'admin' },
      { from: '2026-11-01', to: '2026-11-30', by: 'month' },
    );
    const lines = formatReport(report).split('\n');
    const header = lines.findIndex((line) => line.startsWith('benchmark'));
    expect(lines[header]).toMatch(/^benchmark +NPS +sample +date +for +gap +S1 +S2$/);
    // 41.7 against a fixed 10: z = 2.33, significant; Boston has no responses.
    expect(lines[header + 1]).toMatch(/^Industry +10 +fixed +2026-06-30 +all +\+31\.7 ▲ +\+31\.7 ▲ +–$/);
    expect(lines).toContain(
      'gap: our NPS minus the benchmark’s (▲ / ▼: significant at 95%). sample “fixed”: no sample size, taken as an exact value (only our margin counts).',
    );
  });
});
