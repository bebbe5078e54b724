import { describe, expect, it } from 'vitest';
import {
  benchmarkComparisons,
  benchmarkIdOf,
  benchmarkTally,
  compareWithBenchmark,
} from '../../../functions/domain/benchmarks';
import { compareNps } from '../../../functions/domain/significance';

const tally = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});
/** 21 promoters, 9 passives, 6 detractors: NPS 41.7 from 36 responses. */
const lyon = tally(21, 9, 6);

describe('compareWithBenchmark, a benchmark without a sample size (a fixed value)', () => {
  // Ours: n' = 39, p' = 21.75/39 = .557692, d' = 6.75/39 = .173077, NPS' = .384615,
  //       Var = .730769 − .384615² = .582840, √(Var/n') = √.014945 = .122248
  it('finds a 25.7-point gap above an industry 16 within noise', () => {
    // z = (.384615 − .16) / .122248 = 1.8374 < 1.96
    const gap = compareWithBenchmark(lyon, { value: 16 });
    expect(gap?.difference).toBeCloseTo(41.6667 - 16, 4);
    expect(gap?.z).toBeCloseTo(1.8374, 4);
    expect(gap?.significant).toBe(false);
  });

  it('finds the gap to a benchmark of 10 significant', () => {
    // z = (.384615 − .10) / .122248 = 2.3282 > 1.96
    const gap = compareWithBenchmark(lyon, { value: 10 });
    expect(gap?.difference).toBeCloseTo(31.6667, 4);
    expect(gap?.z).toBeCloseTo(2.3282, 4);
    expect(gap?.significant).toBe(true);
  });

  it('keeps one promoter against a fixed 0 within noise', () => {
    // n' = 4, p' = 1.75/4 = .4375, d' = .75/4 = .1875, NPS' = .25, Var = .625 − .0625 = .5625,
    // √(Var/n') = .375, z = .25 / .375 = 0.6667
    const gap = compareWithBenchmark(tally(1, 0, 0), { value: 0 });
    expect(gap?.difference).toBe(100);
    expect(gap?.z).toBeCloseTo(0.6667, 4);
    expect(gap?.significant).toBe(false);
  });

  it('finds one promoter significantly above a fixed −100: only our own sample is uncertain', () => {
    // z = (.25 + 1) / .375 = 3.3333: with no sample size, the benchmark is taken as exact.
    const gap = compareWithBenchmark(tally(1, 0, 0), { value: -100 });
    expect(gap?.z).toBeCloseTo(3.3333, 4);
    expect(gap?.significant).toBe(true);
  });

  it('signs the gap negative when we are below, and gives nothing without responses', () => {
    const gap = compareWithBenchmark(tally(2, 3, 5), { value: 40 });
    expect(gap?.difference).toBeCloseTo(-70, 10);
    expect(gap?.z).toBeLessThan(0);
    expect(compareWithBenchmark(tally(0, 0, 0), { value: 40 })).toBeUndefined();
  });
});

describe('compareWithBenchmark, a benchmark with a sample size (two samples)', () => {
  it('adds the benchmark’s variance, taken with no passives: 16 from 1,000 responses is noise', () => {
    // Benchmark: 580 promoters, 420 detractors; n' = 1003, p' = 580.75/1003 = .579013,
    // d' = 420.75/1003 = .419492, NPS' = .159521, Var = .998505 − .159521² = .973057, Var/n' = .000970
    // z = (.384615 − .159521) / √(.014945 + .000970) = .225094 / .126154 = 1.7843
    const gap = compareWithBenchmark(lyon, { value: 16, sampleSize: 1000 });
    expect(gap?.difference).toBeCloseTo(25.6667, 4);
    expect(gap?.z).toBeCloseTo(1.7843, 4);
    expect(gap?.significant).toBe(false);
  });

  it('finds 10 from 1,000 responses significantly below us, with a smaller z than the fixed 10', () => {
    // Benchmark: 550 / 450; n' = 1003, NPS' = .099701, Var/n' = .988564/1003 = .000986
    // z = .284914 / √.015931 = .284914 / .126215 = 2.2574
    const gap = compareWithBenchmark(lyon, { value: 10, sampleSize: 1000 });
    expect(gap?.z).toBeCloseTo(2.2574, 4);
    expect(gap?.significant).toBe(true);
    expect(gap?.z).toBeLessThan(compareWithBenchmark(lyon, { value: 10 })?.z ?? 0);
  });

  it('keeps tiny samples within noise: one promoter against a benchmark of −100 from one response', () => {
    // The same as one promoter against one detractor: 200 points apart, z = .5 / √(2 · .140625) = 0.9428.
    const gap = compareWithBenchmark(tally(1, 0, 0), { value: -100, sampleSize: 1 });
    expect(gap?.difference).toBe(200);
    expect(gap?.z).toBeCloseTo(0.9428, 4);
    expect(gap?.significant).toBe(false);
    // Two against two: n' = 5, NPS' = ±.4, Var/n' = .54/5, z = .8 / √.216 = 1.7213.
    expect(compareWithBenchmark(tally(2, 0, 0), { value: -100, sampleSize: 2 })?.z).toBeCloseTo(1.7213, 4);
  });

  it('errs on the cautious side: a benchmark with passives would have looked more significant', () => {
    // NPS 16 from 1,000 responses as 400/360/240 rather than 580/0/420.
    const withPassives = compareNps(lyon, tally(400, 360, 240));
    const assumed = compareWithBenchmark(lyon, { value: 16, sampleSize: 1000 });
    expect(withPassives?.difference).toBeCloseTo(assumed?.difference ?? 0, 10);
    expect(Math.abs(withPassives?.z ?? 0)).toBeGreaterThan(Math.abs(assumed?.z ?? 0));
  });

  it('takes the benchmark as promoters and detractors only', () => {
    expect(benchmarkTally(16, 1000)).toEqual({ promoters: 580, passives: 0, detractors: 420 });
    expect(benchmarkTally(-100, 3)).toEqual({ promoters: 0, passives: 0, detractors: 3 });
  });
});

describe('benchmarkIdOf', () => {
  it('makes a slug of the name', () => {
    expect(benchmarkIdOf('Industry median (2026)')).toBe('industry-median-2026');
    expect(benchmarkIdOf('  Café Rival  ')).toBe('cafe-rival');
    expect(benchmarkIdOf('SurveyMonkey — top quartile')).toBe('surveymonkey-top-quartile');
    expect(benchmarkIdOf('Bœuf & Straße')).toBe('boeuf-strasse');
  });

  it('keeps at most 64 characters, never ending in a hyphen', () => {
    const id = benchmarkIdOf(`${'a'.repeat(63)} b`);
    expect(id).toBe('a'.repeat(63));
  });

  it('gives nothing for a name without a Latin letter or digit', () => {
    expect(benchmarkIdOf('競合')).toBeUndefined();
    expect(benchmarkIdOf('—')).toBeUndefined();
  });
});

describe('benchmarkComparisons', () => {
  const stores = [
    { storeId: 'S1', name: 'Lyon', tally: lyon },
    { storeId: 'S2', name: 'Boston', tally: tally(0, 0, 0) },
  ];
  const overall = lyon;

  it('compares a chain-wide benchmark with the overall NPS and with each store', () => {
    const [industry] = benchmarkComparisons(
      [{ benchmarkId: 'industry', name: 'Industry', value: 10, date: '2026-06-30' }],
      overall,
      stores,
    );
    expect(industry).toMatchObject({
      benchmarkId: 'industry',
      value: 10,
      sampleSize: null,
      storeId: null,
      test: 'fixed-value',
      gap: { significant: true },
    });
    expect(industry?.stores.map((store) => [store.storeId, store.gap?.significant ?? null])).toEqual([
      ['S1', true],
      ['S2', null],
    ]);
  });

  it('compares a store benchmark with its store only, and leaves out one for a store not in the report', () => {
    const comparisons = benchmarkComparisons(
      [
        {
          benchmarkId: 'rival-boston',
          name: 'Rival Boston',
          value: 30,
          sampleSize: 200,
          date: '2026-05-01',
          storeId: 'S2',
        },
        {
          benchmarkId: 'rival-lyon',
          name: 'Rival Lyon',
          value: 10,
          sampleSize: 1000,
          date: '2026-05-01',
          storeId: 'S1',
        },
        { benchmarkId: 'rival-paris', name: 'Rival Paris', value: 0, date: '2026-05-01', storeId: 'S3' },
        { benchmarkId: 'industry', name: 'Industry', value: 16, date: '2026-06-30' },
      ],
      tally(100, 0, 0),
      stores,
    );
    // Chain-wide first, then by name.
    expect(comparisons.map((comparison) => comparison.benchmarkId)).toEqual([
      'industry',
      'rival-boston',
      'rival-lyon',
    ]);
    const [, boston, rivalLyon] = comparisons;
    expect(boston).toMatchObject({
      storeId: 'S2',
      test: 'two-sample',
      sampleSize: 200,
      gap: null,
      stores: [],
    });
    expect(rivalLyon?.gap?.z).toBeCloseTo(2.2574, 4);
  });
});
