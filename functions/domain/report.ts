/**
 * NPS reports from the exact aggregates: which aggregate items a report reads, which period each falls
 * in, and the figures of a sum of them. Pure functions; no response is ever read.
 */
import type { NpsFigures } from '../schemas/report';
import { npsOf } from './nps';

export type Granularity = 'day' | 'week' | 'month';

/** The counts held by an aggregate item (one scope, one day or month). */
export interface Counts {
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly invited: number;
  /** Automatic answers discarded as link scanners'. */
  readonly scannerAnswers: number;
  /** How many answered 0, 1, … 10. */
  readonly histogram: readonly number[];
}

/** The range a report covers unless asked otherwise: the last twelve months (UTC) to today. */
export const defaultReportRange = (now: Date) => ({
  from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)).toISOString().slice(0, 10),
  to: now.toISOString().slice(0, 10),
});

export const noCounts: Counts = {
  promoters: 0,
  passives: 0,
  detractors: 0,
  invited: 0,
  scannerAnswers: 0,
  histogram: Array(11).fill(0),
};

export const countsOfItem = (item: Readonly<Record<string, unknown>>): Counts => {
  const count = (name: string) => Number(item[name] ?? 0);
  return {
    promoters: count('promoters'),
    passives: count('passives'),
    detractors: count('detractors'),
    invited: count('invited'),
    scannerAnswers: count('scannerAnswers'),
    histogram: Array.from({ length: 11 }, (_, score) => count(`h${score}`)),
  };
};

export const addCounts = (a: Counts, b: Counts): Counts => ({
  promoters: a.promoters + b.promoters,
  passives: a.passives + b.passives,
  detractors: a.detractors + b.detractors,
  invited: a.invited + b.invited,
  scannerAnswers: a.scannerAnswers + b.scannerAnswers,
  histogram: a.histogram.map((value, score) => value + (b.histogram[score] ?? 0)),
});

export const figuresOf = (counts: Counts): NpsFigures => {
  const result = npsOf(counts);
  return {
    responses: result.responses,
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
    nps: result.nps ?? null,
    marginOfError: result.marginOfError ?? null,
    lowConfidence: result.lowConfidence,
    invited: counts.invited,
    responseRate: counts.invited === 0 ? null : result.responses / counts.invited,
    histogram: counts.histogram,
    scannerAnswersDiscarded: counts.scannerAnswers,
  };
};

const DAY_MS = 86_400_000;
const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => dayOf(new Date(dateOf(day).getTime() + days * DAY_MS));
const lastDayOfMonth = (month: string) => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return dayOf(new Date(Date.UTC(year, monthNumber, 0)));
};

/** The ISO 8601 week of a day, as `2026-W47`, with its Monday and Sunday. */
export const isoWeekOf = (day: string) => {
  const date = dateOf(day);
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = addDays(day, -weekday);
  const thursday = dateOf(addDays(monday, 3));
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { period: `${year}-W${String(week).padStart(2, '0')}`, from: monday, to: addDays(monday, 6) };
};

/** The period a day falls in, with its first and last day (not clipped to the report's range). */
export const periodOfDay = (day: string, by: Granularity) => {
  if (by === 'day') return { period: day, from: day, to: day };
  if (by === 'week') return isoWeekOf(day);
  const month = day.slice(0, 7);
  return { period: month, from: `${month}-01`, to: lastDayOfMonth(month) };
};

/** Every period of a range, in order, clipped to it: the rows of a report (empty ones included). */
export const periodsBetween = (from: string, to: string, by: Granularity) => {
  const periods: { period: string; from: string; to: string }[] = [];
  for (let day = from; day <= to; ) {
    const period = periodOfDay(day, by);
    periods.push({ ...period, from: day, to: period.to < to ? period.to : to });
    day = addDays(period.to, 1);
  }
  return periods;
};

/**
 * Which aggregate items a report needs, as ranges of their sort key: monthly items for the months
 * wholly inside the range when reporting by month (one item instead of ~30), daily items otherwise
 * and for partial months at the edges.
 */
export const aggregateRangesFor = (from: string, to: string, by: Granularity) => {
  if (by !== 'month') return [{ from: `day#${from}`, to: `day#${to}` }];
  const ranges: { from: string; to: string }[] = [];
  const whole = periodsBetween(from, to, 'month').filter(
    (period) => period.from.endsWith('-01') && period.to === lastDayOfMonth(period.period),
  );
  const firstWhole = whole[0];
  const lastWhole = whole.at(-1);
  if (firstWhole === undefined || lastWhole === undefined) return [{ from: `day#${from}`, to: `day#${to}` }];
  if (from < firstWhole.from) ranges.push({ from: `day#${from}`, to: `day#${addDays(firstWhole.from, -1)}` });
  ranges.push({ from: `month#${firstWhole.period}`, to: `month#${lastWhole.period}` });
  if (to > lastWhole.to) ranges.push({ from: `day#${addDays(lastWhole.to, 1)}`, to: `day#${to}` });
  return ranges;
};

/** The report period an aggregate item (`day#2026-11-23` or `month#2026-11`) is summed into. */
export const periodOfItem = (sortKey: string, by: Granularity) => {
  const [kind, value = ''] = sortKey.split('#');
  return kind === 'month' ? value : periodOfDay(value, by).period;
};
