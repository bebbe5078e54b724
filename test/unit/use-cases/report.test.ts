import { beforeEach, describe, expect, it } from 'vitest';
import type { Access } from '../../../functions/domain/access';
import { ForbiddenError, ValidationError } from '../../../functions/domain/errors';
import type { ReportQuery } from '../../../functions/schemas/report';
import {
  buildDashboard,
  buildReport,
  type DashboardDeps,
  reportFor,
} from '../../../functions/use-cases/report';
import { createAggregateTable } from '../../support/in-memory-aggregates';
import { fixedClock } from '../../support/in-memory-effects';
import { accountOf, aStore, createStoreTable, withAccounts } from '../../support/in-memory-stores';

const marketing: Access = { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' };
const managerOf = (...storeIds: string[]): Access => ({
  kind: 'stores',
  user: 'manager@example.com',
  sub: 'sub-manager',
  storeIds: new Set(storeIds),
});
const november: ReportQuery = { from: '2026-11-01', to: '2026-11-30', by: 'month' };

let aggregates: ReturnType<typeof createAggregateTable>;
let deps: DashboardDeps;
let comments: Map<
  string,
  { surveyId: string; storeId: string; score: number; comment: string; at: string }[]
>;
let statuses: Map<string, { status: string; dueAt: string }[]>;

beforeEach(() => {
  aggregates = createAggregateTable();
  // Lyon: 6 promoters, 2 passives, 2 detractors of 20 invited: NPS 40.
  aggregates.add('S1', '2026-11-02', {
    invited: 20,
    promoters: 6,
    passives: 2,
    detractors: 2,
    h10: 6,
    h8: 2,
    h3: 2,
  });
  // Boston: 1 promoter, 3 detractors of 4 invited: NPS -50.
  aggregates.add('S2', '2026-11-10', { invited: 4, promoters: 1, detractors: 3, h9: 1, h0: 3 });
  // A store since closed (no longer listed): only in everyone's aggregate.
  aggregates.add('S9', '2026-11-02', { invited: 2, promoters: 1, h10: 1 });
  comments = new Map();
  statuses = new Map();
  deps = {
    aggregates: aggregates.repository,
    stores: createStoreTable(
      withAccounts(aStore()),
      withAccounts(aStore({ storeId: 'S2', name: 'Boston', managerEmail: 'manager.s2@stores.example.com' })),
      withAccounts(aStore({ storeId: 'S3', name: 'Paris', managerEmail: 'manager.s3@stores.example.com' })),
    ).repository,
    answers: {
      latestComments: async (storeId: string, limit: number) =>
        [...(comments.get(storeId) ?? [])].sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit),
    },
    cases: { statuses: async (storeId: string) => statuses.get(storeId) ?? [] },
    clock: fixedClock('2026-11-20T12:00:00.000Z').clock,
  };
});

describe('buildReport', () => {
  it('gives marketing everyone’s NPS, margin and response rate, and each store’s, best first', async () => {
    const report = await buildReport(deps, marketing, november);

    expect(report).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-30',
      by: 'month',
      method: 'adjusted-wald-95',
      scope: 'all',
      overall: { responses: 15, promoters: 8, passives: 2, detractors: 5, nps: 20, invited: 26 },
    });
    expect(report.overall.responseRate).toBeCloseTo(15 / 26, 10);
    expect(report.stores.map(({ storeId, nps, responses }) => ({ storeId, nps, responses }))).toEqual([
      { storeId: 'S1', nps: 40, responses: 10 },
      { storeId: 'S2', nps: -50, responses: 4 },
      { storeId: 'S3', nps: null, responses: 0 },
    ]);
    const lyon = report.stores[0];
    expect(lyon).toMatchObject({ name: 'Lyon', responseRate: 0.5, lowConfidence: true, invited: 20 });
    expect(lyon?.marginOfError).toBeCloseTo(43.36, 1);
    expect(lyon?.histogram).toEqual([0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 6]);
    expect(report.stores[2]).toMatchObject({ marginOfError: null, responseRate: null });
    expect(report.periods).toEqual([
      expect.objectContaining({ period: '2026-11', from: '2026-11-01', to: '2026-11-30', responses: 15 }),
    ]);
  });

  it('gives the win-back of called and unreached detractors per store, period and chain, from the aggregates', async () => {
    aggregates.add('S1', '2026-11-03', {
      wbCalledPromoters: 5,
      wbCalledPassives: 3,
      wbCalledDetractors: 2,
      wbNotReachedPassives: 3,
      wbNotReachedDetractors: 7,
    });
    aggregates.add('S2', '2026-11-12', { wbNotReachedDetractors: 2 });

    const report = await buildReport(deps, marketing, november);

    expect(report.winBack.method).toBe('adjusted-wald-95');
    expect(report.winBack.overall.called).toMatchObject({ answered: 10, wonBack: 8, rate: 0.8 });
    expect(report.winBack.overall.notReached).toMatchObject({ answered: 12, wonBack: 3, rate: 0.25 });
    expect(report.winBack.overall.difference?.significant).toBe(true);
    expect(report.winBack.periods).toEqual([
      expect.objectContaining({ period: '2026-11', called: report.winBack.overall.called }),
    ]);
    const [lyon, boston, paris] = report.winBack.stores;
    expect(lyon).toMatchObject({ storeId: 'S1', name: 'Lyon', notReached: { answered: 10, wonBack: 3 } });
    expect(lyon?.difference?.z).toBeCloseTo(2.254938, 6);
    expect(boston).toMatchObject({ storeId: 'S2', called: { answered: 0, rate: null }, difference: null });
    expect(paris).toMatchObject({ storeId: 'S3', notReached: { answered: 0 } });
  });

  it('reads a whole month from its monthly item, and days only for the partial months at the edges', async () => {
    await buildReport(deps, marketing, { from: '2026-10-15', to: '2026-12-05', by: 'month' });

    expect(aggregates.reads.filter((read) => read.startsWith('store#S1 '))).toEqual([
      'store#S1 day#2026-10-15..day#2026-10-31',
      'store#S1 month#2026-11..month#2026-11',
      'store#S1 day#2026-12-01..day#2026-12-05',
      // The example comments per theme of the edge months, which are kept in month items only.
      'store#S1 month#2026-10..month#2026-10',
      'store#S1 month#2026-12..month#2026-12',
      // The testimonial target's progress: the twelve months of the year of `to`, one query.
      'store#S1 month#2026-01..month#2026-12',
    ]);
  });

  it('sums days into weeks, every week of the range listed, empty ones too', async () => {
    const report = await buildReport(deps, marketing, { from: '2026-11-02', to: '2026-11-22', by: 'week' });

    expect(
      report.periods.map(({ period, from, to, responses, nps }) => ({ period, from, to, responses, nps })),
    ).toEqual([
      { period: '2026-W45', from: '2026-11-02', to: '2026-11-08', responses: 11, nps: ((7 - 2) / 11) * 100 },
      { period: '2026-W46', from: '2026-11-09', to: '2026-11-15', responses: 4, nps: -50 },
      { period: '2026-W47', from: '2026-11-16', to: '2026-11-22', responses: 0, nps: null },
    ]);
  });

  it('gives a manager only their stores, with the overall figures summed from them', async () => {
    const report = await buildReport(deps, managerOf('S1', 'S2'), november);

    expect(report.stores.map((store) => store.storeId)).toEqual(['S1', 'S2']);
    expect(report.overall).toMatchObject({ responses: 14, promoters: 7, detractors: 5, invited: 24 });
    expect(aggregates.reads.some((read) => read.startsWith('all '))).toBe(false);
  });

  it('gives one store’s report to its manager and to marketing, from that store’s aggregates', async () => {
    for (const access of [managerOf('S1'), marketing]) {
      const report = await buildReport(deps, access, { ...november, store: 'S1' });

      expect(report.scope).toBe('store#S1');
      expect(report.stores.map((store) => store.storeId)).toEqual(['S1']);
      expect(report.overall).toMatchObject({ responses: 10, nps: 40 });
    }
  });

  it('refuses a manager another store’s report', async () => {
    await expect(buildReport(deps, managerOf('S1'), { ...november, store: 'S2' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(aggregates.reads).toEqual([]);
  });

  it('says there is no such store when marketing asks for one that does not exist', async () => {
    await expect(buildReport(deps, marketing, { ...november, store: 'S7' })).rejects.toThrow(
      new ValidationError('There is no store S7.'),
    );
  });

  it('gives a manager of no store an empty report', async () => {
    const report = await buildReport(deps, managerOf(), november);

    expect(report.stores).toEqual([]);
    expect(report.overall).toMatchObject({ responses: 0, nps: null, responseRate: null });
  });

  it.each([
    ['an empty range', { from: '2026-12-01', to: '2026-11-01', by: 'month' }, /range is empty/],
    ['a day that is not a date', { from: '2026-11-01', to: 'tomorrow', by: 'month' }, /real dates/],
    ['more than 2000 days', { from: '2020-01-01', to: '2025-12-31', by: 'month' }, /at most 2000 days/],
    ['a daily report over a year', { from: '2025-11-01', to: '2026-11-30', by: 'day' }, /at most 366 days/],
  ] as const)('refuses %s', async (_, query, message) => {
    await expect(buildReport(deps, marketing, query)).rejects.toThrow(message);
    await expect(buildReport(deps, marketing, query)).rejects.toBeInstanceOf(ValidationError);
    expect(aggregates.reads).toEqual([]);
  });
});

describe('buildDashboard', () => {
  beforeEach(() => {
    statuses.set('S1', [
      { status: 'open', dueAt: '2026-11-03T10:00:00.000Z' },
      { status: 'open', dueAt: '2026-11-21T10:00:00.000Z' },
      { status: 'open', dueAt: '2026-09-01T10:00:00.000Z' },
      { status: 'contacted', dueAt: '2026-11-05T10:00:00.000Z' },
      { status: 'contacted', dueAt: '2026-10-05T10:00:00.000Z' },
      { status: 'closed', dueAt: '2026-11-06T10:00:00.000Z' },
    ]);
    statuses.set('S2', [{ status: 'open', dueAt: '2026-11-01T10:00:00.000Z' }]);
    for (const [storeId, count, minute] of [
      ['S1', 15, 0],
      ['S2', 10, 30],
    ] as const) {
      comments.set(
        storeId,
        Array.from({ length: count }, (_, index) => ({
          surveyId: `${storeId}-${index}`,
          storeId,
          score: 3,
          comment: `comment ${index}`,
          at: `2026-11-${String(index + 1).padStart(2, '0')}T10:${minute}:00.000Z`,
        })),
      );
    }
  });

  it('counts a manager’s open and overdue cases now, contacted ones in the range, and their latest comments', async () => {
    const dashboard = await buildDashboard(deps, managerOf('S1'), november);

    expect(dashboard.followUps).toEqual({ open: 3, overdue: 2, contacted: 1 });
    expect(dashboard.latestComments).toHaveLength(15);
    expect(dashboard.latestComments.every((comment) => comment.storeId === 'S1')).toBe(true);
    expect(dashboard.latestComments[0]?.surveyId).toBe('S1-14');
    expect(dashboard.viewer).toEqual({ user: 'manager@example.com', sees: 'own-stores' });
    expect(dashboard.report.stores.map((store) => store.storeId)).toEqual(['S1']);
  });

  it('gives marketing every store’s follow-ups and the twenty latest comments of all, newest first', async () => {
    const dashboard = await buildDashboard(deps, marketing, november);

    expect(dashboard.followUps).toEqual({ open: 4, overdue: 3, contacted: 1 });
    expect(dashboard.latestComments).toHaveLength(20);
    const times = dashboard.latestComments.map((comment) => comment.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(dashboard.latestComments[0]?.surveyId).toBe('S1-14');
    // Boston's comments of 1 and 2 November are among the five oldest of the 25, left out.
    expect(dashboard.latestComments.filter((comment) => comment.storeId === 'S2')).toHaveLength(8);
    expect(dashboard.viewer).toEqual({ user: 'mia@example.com', sees: 'all-stores' });
  });

  it('refuses a manager another store’s dashboard', async () => {
    await expect(buildDashboard(deps, managerOf('S1'), { ...november, store: 'S2' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});

describe('reportFor', () => {
  let storeReads: number;
  beforeEach(() => {
    storeReads = 0;
    const { listAll } = deps.stores;
    deps = {
      ...deps,
      stores: {
        listAll: async () => {
          storeReads++;
          return listAll();
        },
      },
    };
  });

  it('gives a store manager the store bound to their account only', async () => {
    const report = await reportFor(
      deps,
      { sub: accountOf('manager.s1@stores.example.com'), groups: [] },
      november,
      'report',
    );

    expect('stores' in report && report.stores.map((store) => store.storeId)).toEqual(['S1']);
    expect(storeReads).toBe(1);
  });

  it('gives a regional manager the stores of the region, summed rather than everyone’s aggregate', async () => {
    const report = await reportFor(
      deps,
      { sub: accountOf('region@stores.example.com'), groups: [] },
      november,
      'report',
    );

    expect('stores' in report && report.stores.map((store) => store.storeId)).toEqual(['S1', 'S2', 'S3']);
    expect('overall' in report && report.overall.responses).toBe(14);
  });

  it.each(['marketing', 'admin'])('gives the %s group everyone’s report', async (group) => {
    const report = await reportFor(deps, { sub: 'sub-someone', groups: [group] }, november, 'report');

    expect('overall' in report && report.overall.responses).toBe(15);
  });

  it('gives the dashboard when asked, seen as the user’s own stores', async () => {
    const dashboard = await reportFor(
      deps,
      { sub: accountOf('manager.s2@stores.example.com'), email: 'manager.s2@stores.example.com', groups: [] },
      november,
      'dashboard',
    );

    expect(dashboard).toMatchObject({
      viewer: { user: 'manager.s2@stores.example.com', sees: 'own-stores' },
    });
    expect(storeReads).toBe(1);
  });

  it('refuses a manager another store, and gives someone who manages nothing an empty report', async () => {
    await expect(
      reportFor(
        deps,
        { sub: accountOf('manager.s1@stores.example.com'), groups: [] },
        { ...november, store: 'S2' },
        'report',
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const report = await reportFor(
      deps,
      { sub: 'sub-stranger', email: 'manager.s2@stores.example.com', groups: ['staff'] },
      november,
      'report',
    );
    expect('stores' in report && report.stores).toEqual([]);
  });
});

describe('significance in the report', () => {
  const octoberToNovember: ReportQuery = { from: '2026-10-01', to: '2026-11-30', by: 'month' };
  beforeEach(() => {
    // Lyon in October: 2 passives, 18 detractors of 20 invited: NPS −90.
    aggregates.add('S1', '2026-10-05', { invited: 20, passives: 2, detractors: 18, h7: 2, h2: 18 });
  });

  it('says whether the chain moved from one period to the next', async () => {
    const report = await buildReport(deps, marketing, octoberToNovember);

    expect(report.significance).toEqual({
      method: 'adjusted-wald-z-95',
      targetMargin: 10,
      rest: 'rest-of-chain',
    });
    const [october, november] = report.periods;
    expect(october?.change).toBeNull();
    // Chain November 8/2/5 against October 0/2/18:
    // Nov: n' = 18, p' = 8.75/18 = .486111, d' = 5.75/18 = .319444, NPS' = .166667,
    //      Var/n' = (.805556 − .027778)/18 = .043210
    // Oct: n' = 23, p' = .75/23 = .032609, d' = 18.75/23 = .815217, NPS' = −.782609,
    //      Var/n' = (.847826 − .612476)/23 = .010233
    // z = .949275 / √.053443 = .949275 / .231177 = 4.1063
    expect(november?.change?.difference).toBeCloseTo(20 - -90, 10);
    expect(november?.change?.z).toBeCloseTo(4.1063, 3);
    expect(november?.change?.significant).toBe(true);
  });

  it('gives each store its change per period, against the rest of the chain, and the sample it needs', async () => {
    const report = await buildReport(deps, marketing, octoberToNovember);
    const lyon = report.stores.find((store) => store.storeId === 'S1');

    // Lyon in November 6/2/2 against October 0/2/18:
    // Nov: n' = 13, p' = 6.75/13 = .519231, d' = 2.75/13 = .211538, NPS' = .307692,
    //      Var/n' = (.730769 − .094675)/13 = .048930; Oct as above, .010233.
    // z = 1.090301 / √.059163 = 1.090301 / .243234 = 4.4825
    expect(lyon?.trend.map((period) => period.period)).toEqual(['2026-10', '2026-11']);
    expect(lyon?.trend[0]).toMatchObject({ nps: -90, responses: 20, change: null, vsRest: null });
    expect(lyon?.trend[1]?.change?.difference).toBeCloseTo(130, 10);
    expect(lyon?.trend[1]?.change?.z).toBeCloseTo(4.4825, 3);
    expect(lyon?.trend[1]?.change?.significant).toBe(true);
    // November against the rest of the chain, Boston 1/0/3 and the closed store 1/0/0 (2/0/3): NPS 40
    // against −20. Rest: n' = 8, p' = 2.75/8, d' = 3.75/8, NPS' = −.125, Var/n' = (.8125 − .015625)/8
    // = .099609; z = (.307692 + .125) / √(.048930 + .099609) = .432692 / .385408 = 1.1227
    expect(lyon?.trend[1]?.vsRest?.difference).toBeCloseTo(60, 10);
    expect(lyon?.trend[1]?.vsRest?.z).toBeCloseTo(1.1227, 3);
    expect(lyon?.trend[1]?.vsRest?.significant).toBe(false);
    // November alone: 10 responses of 20 invited; 6/2/2 gives Var = .636095, n' ≥ 244.36, so 242
    // responses in all, 232 more, at 50% 464 invitations.
    expect(lyon?.trend[1]?.sampleNeeded).toEqual({
      targetMargin: 10,
      moreResponses: 232,
      moreInvitations: 464,
    });
    // Over both months 6/4/20 of 40 invited (NPS −46.7) against the rest 2/0/3 (−20): within noise.
    expect(lyon?.vsRest).toMatchObject({ significant: false });
    expect(lyon?.vsRest?.difference).toBeCloseTo((-14 / 30) * 100 + 20, 10);
    // 6/4/20: n' = 33, p' = 6.75/33, d' = 20.75/33, Var = .833333 − .180005 = .653329: n' ≥ 250.98,
    // so 248 in all, 218 more; at 30/40 = 75%, 218/.75 = 290.7, so 291 invitations.
    expect(lyon?.sampleNeeded).toEqual({ targetMargin: 10, moreResponses: 218, moreInvitations: 291 });
  });

  it('needs the worst-case 382 responses from a store with none, and compares it with nothing', async () => {
    const report = await buildReport(deps, marketing, octoberToNovember);
    const paris = report.stores.find((store) => store.storeId === 'S3');

    expect(paris).toMatchObject({
      vsRest: null,
      sampleNeeded: { targetMargin: 10, moreResponses: 382, moreInvitations: null },
    });
    expect(paris?.trend.every((period) => period.change === null && period.vsRest === null)).toBe(true);
  });

  it('compares one store asked for by marketing with the rest of the chain, from everyone’s aggregate', async () => {
    const report = await buildReport(deps, marketing, { ...octoberToNovember, store: 'S1' });

    expect(report.stores[0]?.trend[1]?.vsRest?.z).toBeCloseTo(1.1227, 3);
    expect(aggregates.reads.some((read) => read.startsWith('all '))).toBe(true);
  });

  it('compares a manager’s store with their other stores only, never the chain', async () => {
    const report = await buildReport(deps, managerOf('S1', 'S2'), octoberToNovember);

    expect(report.significance.rest).toBe('rest-of-stores-seen');
    // Lyon 6/4/20 against Boston 1/0/3 only: NPS −46.7 against −50.
    expect(report.stores.find((store) => store.storeId === 'S1')?.vsRest?.difference).toBeCloseTo(
      (-14 / 30) * 100 + 50,
      10,
    );
    expect(aggregates.reads.some((read) => read.startsWith('all '))).toBe(false);

    const alone = await buildReport(deps, managerOf('S1'), octoberToNovember);
    expect(alone.stores[0]?.vsRest).toBeNull();
  });
});
