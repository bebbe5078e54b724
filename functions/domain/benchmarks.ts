/**
 * Benchmarks: how far our NPS is from a competitor's or the industry's, and whether the gap is
 * significant at 95%. Pure. See docs/decisions.md, "Benchmarks: the gap and its significance".
 */
import type { BenchmarkComparison, NpsChange } from '../schemas/report';
import { adjustedWald, type Tally, Z_95 } from './nps';
import { compareNps } from './significance';
import { fold } from './text';

/** What a comparison needs of a benchmark. */
export interface BenchmarkFigure {
  /** Its NPS, −100…100. */
  readonly value: number;
  /** The responses it rests on; absent when unknown (then it is taken as a fixed value). */
  readonly sampleSize?: number;
}

/**
 * The id a benchmark gets from its name: lower-case ASCII letters and digits, other runs as one
 * hyphen, accents dropped, at most 64 characters (`Industry median (2026)` → `industry-median-2026`).
 * Undefined when nothing is left (a name in another script): the caller must then give an id.
 */
export const benchmarkIdOf = (name: string): string | undefined => {
  const slug = fold(name)
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? undefined : slug;
};

/**
 * A benchmark of NPS v from m responses as a tally: the shares are unknown besides p − d = v, so it is
 * taken with no passives (p = (1 + v)/2, d = (1 − v)/2), the largest variance its NPS allows: the
 * cautious side, which never makes a gap look more significant than it may be.
 */
export const benchmarkTally = (value: number, sampleSize: number): Tally => ({
  promoters: (sampleSize * (1 + value / 100)) / 2,
  passives: 0,
  detractors: (sampleSize * (1 - value / 100)) / 2,
});

/**
 * Our NPS minus the benchmark's (in points) and whether the gap is significant at 95%. With a sample
 * size, a difference of two independent samples (`compareNps`, the benchmark as `benchmarkTally`);
 * without, the benchmark is a fixed value and only our variance counts:
 * z = (NPS' − v) / √(Var/n'), with our adjusted-Wald estimates. Undefined when we have no responses.
 */
export const compareWithBenchmark = (ours: Tally, benchmark: BenchmarkFigure): NpsChange | undefined => {
  if (benchmark.sampleSize !== undefined)
    return compareNps(ours, benchmarkTally(benchmark.value, benchmark.sampleSize));
  const responses = ours.promoters + ours.passives + ours.detractors;
  if (responses === 0) return undefined;
  const adjusted = adjustedWald(ours);
  const z = (adjusted.nps - benchmark.value / 100) / Math.sqrt(adjusted.unitVariance / adjusted.n);
  return {
    difference: ((ours.promoters - ours.detractors) / responses) * 100 - benchmark.value,
    z,
    significant: Math.abs(z) > Z_95,
  };
};

/** A benchmark as the report reads it. */
export interface BenchmarkEntry extends BenchmarkFigure {
  readonly benchmarkId: string;
  readonly name: string;
  readonly date: string;
  readonly storeId?: string;
}

/**
 * The report's benchmark section: each chain-wide benchmark against the report's overall NPS and
 * against each store of the report; each store benchmark against its store, if the report shows it.
 * Chain-wide first, then by name. O(benchmarks × stores).
 */
export const benchmarkComparisons = (
  benchmarks: readonly BenchmarkEntry[],
  overall: Tally,
  stores: readonly { readonly storeId: string; readonly name: string; readonly tally: Tally }[],
): BenchmarkComparison[] => {
  const storeById = new Map(stores.map((store) => [store.storeId, store]));
  const gap = (tally: Tally, benchmark: BenchmarkEntry) => compareWithBenchmark(tally, benchmark) ?? null;
  return benchmarks
    .filter((benchmark) => benchmark.storeId === undefined || storeById.has(benchmark.storeId))
    .sort(
      (a, b) =>
        Number(a.storeId !== undefined) - Number(b.storeId !== undefined) ||
        a.name.localeCompare(b.name) ||
        a.benchmarkId.localeCompare(b.benchmarkId),
    )
    .map((benchmark) => {
      const store = benchmark.storeId === undefined ? undefined : storeById.get(benchmark.storeId);
      return {
        benchmarkId: benchmark.benchmarkId,
        name: benchmark.name,
        value: benchmark.value,
        sampleSize: benchmark.sampleSize ?? null,
        date: benchmark.date,
        storeId: benchmark.storeId ?? null,
        test: benchmark.sampleSize === undefined ? 'fixed-value' : 'two-sample',
        gap: gap(store?.tally ?? overall, benchmark),
        stores:
          store === undefined
            ? stores.map(({ storeId, name, tally }) => ({ storeId, name, gap: gap(tally, benchmark) }))
            : [],
      };
    });
};
