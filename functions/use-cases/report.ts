import pLimit from 'p-limit';
import type { AggregateRepository } from '../adapters/aggregate-repository';
import type { AnswerRepository } from '../adapters/answer-repository';
import type { BenchmarkRepository } from '../adapters/benchmark-repository';
import type { CaseRepository } from '../adapters/case-repository';
import type { StoreRepository } from '../adapters/store-repository';
import { type Access, accessOf, canSeeStore, type StaffIdentity } from '../domain/access';
import { benchmarkComparisons } from '../domain/benchmarks';
import {
  addDriverCounts,
  type DriverCounts,
  driverCountsOfItem,
  driversFiguresOf,
  mergeExamples,
  noDriverCounts,
  type ThemeExamples,
} from '../domain/drivers';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { isOverdue } from '../domain/follow-up';
import {
  addFollowUpCounts,
  type FollowUpCounts,
  followUpCountsOfItem,
  followUpFiguresOf,
  noFollowUpCounts,
  SLA_HOURS,
} from '../domain/follow-up-outcomes';
import {
  addCounts,
  aggregateRangesFor,
  type Counts,
  countsOfItem,
  figuresOf,
  noCounts,
  periodOfItem,
  periodsBetween,
} from '../domain/report';
import { changesOverPeriods, storeSignificance, storeTrend } from '../domain/report-significance';
import { TARGET_MARGIN } from '../domain/significance';
import {
  consentedQuotesOfItem,
  DEFAULT_TESTIMONIAL_TARGET,
  targetProgress,
  yearMonthRange,
} from '../domain/testimonial-consent';
import {
  addWinBackCounts,
  noWinBackCounts,
  type WinBackCounts,
  winBackCountsOfItem,
  winBackFiguresOf,
} from '../domain/win-back';

import type { DashboardData, Report, ReportQuery, StoreFigures, TestimonialsReport } from '../schemas/report';

export interface ReportDeps {
  readonly aggregates: Pick<AggregateRepository, 'query'>;
  readonly stores: Pick<StoreRepository, 'listAll'>;
  /** Competitor and industry figures to compare with (one small scan); none when absent. */
  readonly benchmarks?: Pick<BenchmarkRepository, 'listAll'>;
  /** Yearly testimonial target of a store that names none (`DEFAULT_TESTIMONIAL_TARGET` when absent). */
  readonly testimonialTarget?: number;
}

/** At most this many days in one report (a little over five years of days). */
const MAX_DAYS = 2000;

const checkRange = ({ from, to, by }: ReportQuery) => {
  if (from > to) throw new ValidationError(`The range is empty: from ${from} is after to ${to}.`);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (Number.isNaN(days)) throw new ValidationError('from and to must be real dates.');
  if (days > MAX_DAYS) throw new ValidationError(`A report covers at most ${MAX_DAYS} days.`);
  if (by === 'day' && days > 366) throw new ValidationError('A daily report covers at most 366 days.');
};

/** Consecutive months, grouped in runs (one query each). */
const monthRuns = (months: readonly string[]) => {
  const runs: string[][] = [];
  const all = periodsBetween(`${months[0] ?? ''}-01`, `${months.at(-1) ?? ''}-01`, 'month').map(
    (p) => p.period,
  );
  let run: string[] = [];
  for (const month of all) {
    if (months.includes(month)) run.push(month);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
};

/**
 * A store's example comments per theme over the report's range: they are kept in month items, so the
 * months the report did not read as a whole (its edges, or all of them in a daily or weekly report)
 * are read too, one query per run of months.
 */
const examplesOf = async (
  deps: ReportDeps,
  scope: string,
  query: ReportQuery,
  items: readonly Record<string, unknown>[],
  ranges: readonly { from: string; to: string }[],
) => {
  const months = periodsBetween(query.from, query.to, 'month').map(({ period }) => period);
  const read = (month: string) =>
    ranges.some((range) => range.from <= `month#${month}` && `month#${month}` <= range.to);
  const missing = months.filter((month) => !read(month));
  const more = (
    await Promise.all(
      monthRuns(missing).map((run) => deps.aggregates.query(scope, `month#${run[0]}`, `month#${run.at(-1)}`)),
    )
  ).flat();
  return [...items, ...more]
    .filter((item) => String(item.period).startsWith('month#') && item.themeExamples !== undefined)
    .map((item) => item.themeExamples as ThemeExamples);
};

/** Sums one scope's aggregates per report period (and, for a store, gathers its example comments). */
const countsByPeriod = async (deps: ReportDeps, scope: string, query: ReportQuery) => {
  const ranges = aggregateRangesFor(query.from, query.to, query.by);
  const items = (
    await Promise.all(ranges.map((range) => deps.aggregates.query(scope, range.from, range.to)))
  ).flat();
  const byPeriod = new Map<string, Counts>();
  const followUps = new Map<string, FollowUpCounts>();
  const drivers = new Map<string, DriverCounts>();
  const winBack = new Map<string, WinBackCounts>();
  for (const item of items) {
    const period = periodOfItem(String(item.period), query.by);
    byPeriod.set(period, addCounts(byPeriod.get(period) ?? noCounts, countsOfItem(item)));
    followUps.set(
      period,
      addFollowUpCounts(followUps.get(period) ?? noFollowUpCounts, followUpCountsOfItem(item)),
    );
    drivers.set(period, addDriverCounts(drivers.get(period) ?? noDriverCounts, driverCountsOfItem(item)));
    winBack.set(period, addWinBackCounts(winBack.get(period) ?? noWinBackCounts, winBackCountsOfItem(item)));
  }
  const examples = scope.startsWith('store#') ? await examplesOf(deps, scope, query, items, ranges) : [];
  return Object.assign(byPeriod, { followUps, drivers, winBack, examples });
};

const totalDrivers = (byPeriod: ReadonlyMap<string, DriverCounts>) =>
  [...byPeriod.values()].reduce(addDriverCounts, noDriverCounts);

const totalWinBack = (byPeriod: ReadonlyMap<string, WinBackCounts>) =>
  [...byPeriod.values()].reduce(addWinBackCounts, noWinBackCounts);

const totalFollowUps = (byPeriod: ReadonlyMap<string, FollowUpCounts>) =>
  [...byPeriod.values()].reduce(addFollowUpCounts, noFollowUpCounts);

const total = (byPeriod: ReadonlyMap<string, Counts>) => [...byPeriod.values()].reduce(addCounts, noCounts);

/**
 * NPS with its margin of error, counts and response rate, overall, per period and per store, from the
 * exact aggregates (no response is read). A reader sees every store (marketing, admins) or only the
 * stores they manage; asking for another store is a 403.
 */
export const buildReport = async (deps: ReportDeps, access: Access, query: ReportQuery): Promise<Report> => {
  checkRange(query);
  if (query.store !== undefined && !canSeeStore(access, query.store)) {
    throw new ForbiddenError(`You may not see store ${query.store}.`);
  }
  const allStores = await deps.stores.listAll();
  const visible = allStores.filter(
    (store) =>
      canSeeStore(access, store.storeId) && (query.store === undefined || store.storeId === query.store),
  );
  if (query.store !== undefined && visible.length === 0) {
    throw new ValidationError(`There is no store ${query.store}.`);
  }
  const limit = pLimit(16);
  const perStore = await Promise.all(
    visible.map((store) =>
      limit(async () => ({ store, byPeriod: await countsByPeriod(deps, `store#${store.storeId}`, query) })),
    ),
  );
  // Everyone's aggregate when all stores are seen; otherwise the sum of the stores seen.
  const overallByPeriod =
    access.kind === 'all-stores' && query.store === undefined
      ? await countsByPeriod(deps, 'all', query)
      : perStore.reduce(
          (sum, { byPeriod }) => {
            for (const [period, counts] of byPeriod)
              sum.set(period, addCounts(sum.get(period) ?? noCounts, counts));
            for (const [period, counts] of byPeriod.followUps)
              sum.followUps.set(
                period,
                addFollowUpCounts(sum.followUps.get(period) ?? noFollowUpCounts, counts),
              );
            for (const [period, counts] of byPeriod.drivers)
              sum.drivers.set(period, addDriverCounts(sum.drivers.get(period) ?? noDriverCounts, counts));
            for (const [period, counts] of byPeriod.winBack)
              sum.winBack.set(period, addWinBackCounts(sum.winBack.get(period) ?? noWinBackCounts, counts));
            return sum;
          },
          Object.assign(new Map<string, Counts>(), {
            followUps: new Map<string, FollowUpCounts>(),
            drivers: new Map<string, DriverCounts>(),
            examples: [] as ThemeExamples[],
            winBack: new Map<string, WinBackCounts>(),
          }),
        );

  // What a store is compared with: everyone's aggregate for readers of every store, else the stores seen.
  const seesChain = access.kind === 'all-stores';
  const chainByPeriod =
    seesChain && query.store !== undefined ? await countsByPeriod(deps, 'all', query) : overallByPeriod;
  const periods = periodsBetween(query.from, query.to, query.by);
  const periodCounts = periods.map((period) => overallByPeriod.get(period.period) ?? noCounts);
  const periodChanges = changesOverPeriods(periodCounts);

  const stores: StoreFigures[] = perStore
    .map(({ store, byPeriod }) => ({
      storeId: store.storeId,
      name: store.name,
      ...figuresOf(total(byPeriod)),
      ...storeSignificance(total(byPeriod), total(chainByPeriod)),
      trend: storeTrend(periods, byPeriod, chainByPeriod),
    }))
    .sort(
      (a, b) =>
        (b.nps ?? -Infinity) - (a.nps ?? -Infinity) ||
        b.responses - a.responses ||
        a.storeId.localeCompare(b.storeId),
    );
  // Competitor and industry figures: one small scan, whatever the responses.
  const benchmarkList = (await deps.benchmarks?.listAll()) ?? [];
  const testimonials = await testimonialsReport(
    deps,
    query,
    perStore,
    access.kind === 'all-stores' && query.store === undefined,
  );
  const followUpsByStore = new Map(
    perStore.map(({ store, byPeriod }) => [store.storeId, byPeriod.followUps]),
  );
  const byStore = new Map(perStore.map(({ store, byPeriod }) => [store.storeId, byPeriod]));
  const winBackByStore = new Map(perStore.map(({ store, byPeriod }) => [store.storeId, byPeriod.winBack]));
  return {
    from: query.from,
    to: query.to,
    by: query.by,
    method: 'adjusted-wald-95',
    scope: query.store === undefined ? 'all' : `store#${query.store}`,
    overall: figuresOf(total(overallByPeriod)),
    periods: periods.map((period, index) => ({
      ...period,
      ...figuresOf(periodCounts[index] ?? noCounts),
      change: periodChanges[index] ?? null,
    })),
    stores,
    followUp: {
      slaHours: SLA_HOURS,
      overall: followUpFiguresOf(totalFollowUps(overallByPeriod.followUps)),
      periods: periodsBetween(query.from, query.to, query.by).map(({ period }) => ({
        period,
        ...followUpFiguresOf(overallByPeriod.followUps.get(period) ?? noFollowUpCounts),
      })),
      stores: stores.map(({ storeId, name }) => ({
        storeId,
        name,
        ...followUpFiguresOf(totalFollowUps(followUpsByStore.get(storeId) ?? new Map())),
      })),
    },
    drivers: {
      overall: {
        ...driversFiguresOf(totalDrivers(overallByPeriod.drivers)),
        examples: mergeExamples(
          perStore.flatMap(({ byPeriod }) => byPeriod.examples),
          query.from,
          query.to,
        ),
      },
      periods: periods.map(({ period }) => ({
        period,
        ...driversFiguresOf(overallByPeriod.drivers.get(period) ?? noDriverCounts),
      })),
      stores: stores.map(({ storeId, name }) => {
        const byPeriod = byStore.get(storeId);
        return {
          storeId,
          name,
          ...driversFiguresOf(totalDrivers(byPeriod?.drivers ?? new Map())),
          examples: mergeExamples(byPeriod?.examples ?? [], query.from, query.to),
        };
      }),
    },
    significance: {
      method: 'adjusted-wald-z-95',
      targetMargin: TARGET_MARGIN,
      rest: seesChain ? 'rest-of-chain' : 'rest-of-stores-seen',
    },
    benchmarks: benchmarkComparisons(
      benchmarkList,
      total(overallByPeriod),
      stores.map((store) => ({ storeId: store.storeId, name: store.name, tally: store })),
    ),
    winBack: {
      method: 'adjusted-wald-95',
      overall: winBackFiguresOf(totalWinBack(overallByPeriod.winBack)),
      periods: periods.map(({ period }) => ({
        period,
        ...winBackFiguresOf(overallByPeriod.winBack.get(period) ?? noWinBackCounts),
      })),
      stores: stores.map(({ storeId, name }) => ({
        storeId,
        name,
        ...winBackFiguresOf(totalWinBack(winBackByStore.get(storeId) ?? new Map())),
      })),
    },
    testimonials,
  };
};

/**
 * Consented testimonials of the calendar year of the report's end, per store seen and overall, against
 * each store's yearly target (its own, else the default): one query of at most 12 month items per
 * scope, never a response.
 */
const testimonialsReport = async (
  deps: ReportDeps,
  query: ReportQuery,
  perStore: readonly { store: { storeId: string; name: string; testimonialTarget?: string } }[],
  seesChain: boolean,
): Promise<TestimonialsReport> => {
  const year = Number(query.to.slice(0, 4));
  const months = yearMonthRange(year);
  const defaultTarget = deps.testimonialTarget ?? DEFAULT_TESTIMONIAL_TARGET;
  const consentedIn = async (scope: string) =>
    (await deps.aggregates.query(scope, months.from, months.to)).reduce(
      (sum, item) => sum + consentedQuotesOfItem(item),
      0,
    );
  const limit = pLimit(16);
  const stores = await Promise.all(
    perStore.map(({ store }) =>
      limit(async () => ({
        storeId: store.storeId,
        name: store.name,
        ...targetProgress(
          await consentedIn(`store#${store.storeId}`),
          store.testimonialTarget ? Number(store.testimonialTarget) : defaultTarget,
        ),
      })),
    ),
  );
  const storesSum = stores.reduce((sum, store) => sum + store.consented, 0);
  const target = stores.reduce((sum, store) => sum + store.target, 0);
  return {
    year,
    defaultTarget,
    overall: targetProgress(seesChain ? await consentedIn('all') : storesSum, target),
    stores,
  };
};

export interface DashboardDeps extends ReportDeps {
  readonly answers: Pick<AnswerRepository, 'latestComments'>;
  readonly cases: Pick<CaseRepository, 'statuses'>;
  readonly clock?: () => Date;
}

const LATEST_COMMENTS = 20;

/**
 * The report, plus the follow-ups of the stores seen (open and overdue: all of them now, whenever
 * they fell due; contacted: those due in the range) and their latest comments.
 */
export const buildDashboard = async (
  deps: DashboardDeps,
  access: Access,
  query: ReportQuery,
): Promise<DashboardData> => {
  const report = await buildReport(deps, access, query);
  const now = (deps.clock ?? (() => new Date()))();
  const limit = pLimit(16);
  const storeIds = report.stores.map((store) => store.storeId);
  const [statuses, comments] = await Promise.all([
    Promise.all(storeIds.map((storeId) => limit(() => deps.cases.statuses(storeId)))),
    Promise.all(
      storeIds.map((storeId) => limit(() => deps.answers.latestComments(storeId, LATEST_COMMENTS))),
    ),
  ]);
  const cases = statuses.flat();
  return {
    report,
    followUps: {
      open: cases.filter((caseRecord) => caseRecord.status === 'open').length,
      overdue: cases.filter((caseRecord) => isOverdue(caseRecord, now)).length,
      contacted: cases.filter(
        (caseRecord) =>
          caseRecord.status === 'contacted' &&
          caseRecord.dueAt.slice(0, 10) >= query.from &&
          caseRecord.dueAt.slice(0, 10) <= query.to,
      ).length,
    },
    latestComments: comments
      .flat()
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, LATEST_COMMENTS),
    viewer: { user: access.user, sees: access.kind === 'all-stores' ? 'all-stores' : 'own-stores' },
  };
};

/**
 * The report or the dashboard a signed-in user asked for: what they may see follows from their
 * groups and the stores they manage, with one read of the stores for the check and the report both.
 */
export const reportFor = async (
  deps: DashboardDeps,
  user: StaffIdentity,
  query: ReportQuery,
  kind: 'report' | 'dashboard',
): Promise<Report | DashboardData> => {
  const stores = await deps.stores.listAll();
  const access = accessOf(user, stores);
  const requestDeps = { ...deps, stores: { listAll: async () => stores } };
  return kind === 'dashboard'
    ? buildDashboard(requestDeps, access, query)
    : buildReport(requestDeps, access, query);
};
