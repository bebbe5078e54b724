/**
 * The significance figures of a report, from the counts per period it already sums: each period
 * against the previous one, each store against the rest (the chain or the other stores seen, without
 * the store, so the samples are independent), and the sample still needed for ±10 points. Pure; O(periods
 * × stores), no response read.
 */
import type { NpsChange, StorePeriodSignificance } from '../schemas/report';
import { type Counts, figuresOf, noCounts } from './report';
import { compareNps, restOf, sampleNeeded } from './significance';

type Period = { readonly period: string; readonly from: string; readonly to: string };

/** Each period's change against the one before it (null for the first). */
export const changesOverPeriods = (countsInOrder: readonly Counts[]): (NpsChange | null)[] =>
  countsInOrder.map((counts, index) => {
    const previous = countsInOrder[index - 1];
    return previous === undefined ? null : (compareNps(counts, previous) ?? null);
  });

/** The store, against the rest, with the sample it still needs. */
export const storeSignificance = (store: Counts, all: Counts) => ({
  vsRest: compareNps(store, restOf(all, store)) ?? null,
  sampleNeeded: sampleNeeded(store, figuresOf(store).responseRate),
});

/** A store period by period: its NPS, change, comparison with the rest and sample needed. */
export const storeTrend = (
  periods: readonly Period[],
  storeByPeriod: ReadonlyMap<string, Counts>,
  allByPeriod: ReadonlyMap<string, Counts>,
): StorePeriodSignificance[] => {
  const counts = periods.map((period) => storeByPeriod.get(period.period) ?? noCounts);
  const changes = changesOverPeriods(counts);
  return periods.map((period, index) => {
    const own = counts[index] ?? noCounts;
    const figures = figuresOf(own);
    return {
      ...period,
      responses: figures.responses,
      nps: figures.nps,
      marginOfError: figures.marginOfError,
      lowConfidence: figures.lowConfidence,
      responseRate: figures.responseRate,
      change: changes[index] ?? null,
      ...storeSignificance(own, allByPeriod.get(period.period) ?? noCounts),
    };
  });
};
