import { beforeEach, describe, expect, it } from 'vitest';
import type { Access } from '../../../functions/domain/access';
import type { ThemeExample } from '../../../functions/domain/drivers';
import { buildReport, type ReportDeps } from '../../../functions/use-cases/report';
import { createAggregateTable } from '../../support/in-memory-aggregates';
import { aStore, createStoreTable, withAccounts } from '../../support/in-memory-stores';

const marketing: Access = { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' };
const managerOfS1: Access = {
  kind: 'stores',
  user: 'm@example.com',
  sub: 'sub-m',
  storeIds: new Set(['S1']),
};

let aggregates: ReturnType<typeof createAggregateTable>;
let deps: ReportDeps;

const example = (surveyId: string, day: string, comment: string): ThemeExample => ({
  surveyId,
  score: 2,
  comment,
  at: `${day}T10:00:00.000Z`,
  day,
});

beforeEach(() => {
  aggregates = createAggregateTable();
  // Lyon, 2 Nov: 4 promoters, 1 passive, 3 detractors counted for the drivers. Delivery was picked by
  // 1 promoter and 3 detractors; staff by 3 promoters; 3 detractors wrote about waiting.
  aggregates.add('S1', '2026-11-02', {
    dr_answers_promoters: 4,
    dr_answers_passives: 1,
    dr_answers_detractors: 3,
    dr_reasons_promoters: 3,
    dr_reasons_detractors: 3,
    dr_comments_detractors: 3,
    dr_comments_promoters: 1,
    rs_delivery_promoters: 1,
    rs_delivery_detractors: 3,
    rs_staff_promoters: 3,
    th_waiting_detractors: 3,
    'th_staff-attitude_promoters': 1,
  });
  // Boston, 20 Dec: 1 detractor who picked delivery.
  aggregates.add('S2', '2026-12-20', {
    dr_answers_detractors: 1,
    dr_reasons_detractors: 1,
    rs_delivery_detractors: 1,
  });
  aggregates.items.set('store#S1|month#2026-11', {
    ...aggregates.items.get('store#S1|month#2026-11'),
    themeExamples: {
      waiting: [
        example('sv-3', '2026-11-03', 'Queue forever'),
        example('sv-2', '2026-11-02', 'Slow till'),
        example('sv-1', '2026-10-31', 'Out of range'),
      ],
    },
  });
  aggregates.items.set('store#S2|month#2026-12', {
    ...aggregates.items.get('store#S2|month#2026-12'),
    themeExamples: { waiting: [example('sv-9', '2026-12-20', 'Long wait')] },
  });
  deps = {
    aggregates: aggregates.repository,
    stores: createStoreTable(
      withAccounts(aStore()),
      withAccounts(aStore({ storeId: 'S2', name: 'Boston', managerEmail: 'manager.s2@stores.example.com' })),
    ).repository,
  };
});

describe('buildReport drivers', () => {
  it('gives each reason’s mentions, category shares and NPS over the range, from the aggregates', async () => {
    const report = await buildReport(deps, marketing, { from: '2026-11-01', to: '2026-12-31', by: 'month' });
    const { overall } = report.drivers;

    expect(overall).toMatchObject({ answers: 9, withReasons: 7, withComments: 4 });
    const delivery = overall.reasons[0];
    // Delivery: 1 promoter, 4 detractors of 4 promoters, 1 passive, 4 detractors counted.
    expect(delivery).toMatchObject({
      reason: 'delivery',
      mentions: 5,
      promoters: 1,
      passives: 0,
      detractors: 4,
      share: { promoters: 0.2, passives: 0, detractors: 0.8 },
      shareOfCategory: { promoters: 0.25, passives: 0, detractors: 1 },
      nps: -60,
      lowConfidence: true,
    });
    expect(overall.reasons[1]).toMatchObject({ reason: 'staff', mentions: 3, nps: 100 });
    // Themes are shares of the answers with a comment: 3 of 3 detractors, 1 of 1 promoter.
    expect(overall.themes[0]).toMatchObject({
      theme: 'waiting',
      mentions: 3,
      nps: -100,
      shareOfCategory: { detractors: 1, promoters: 0, passives: null },
    });
  });

  it('splits the drivers per period and per store', async () => {
    const report = await buildReport(deps, marketing, { from: '2026-11-01', to: '2026-12-31', by: 'month' });

    expect(report.drivers.periods.map(({ period, answers }) => [period, answers])).toEqual([
      ['2026-11', 8],
      ['2026-12', 1],
    ]);
    expect(
      report.drivers.stores.map(({ storeId, reasons }) => [
        storeId,
        reasons[0]?.reason,
        reasons[0]?.mentions,
      ]),
    ).toEqual([
      ['S1', 'delivery', 4],
      ['S2', 'delivery', 1],
    ]);
  });

  it('shows the latest example comments per theme within the range, per store and merged', async () => {
    const report = await buildReport(deps, marketing, { from: '2026-11-01', to: '2026-12-31', by: 'week' });

    expect(report.drivers.overall.examples.waiting?.map(({ comment }) => comment)).toEqual([
      'Long wait',
      'Queue forever',
      'Slow till',
    ]);
    expect(report.drivers.stores[0]?.examples).toEqual({
      waiting: [example('sv-3', '2026-11-03', 'Queue forever'), example('sv-2', '2026-11-02', 'Slow till')],
    });
  });

  it('gives a manager the drivers of their own stores only', async () => {
    const report = await buildReport(deps, managerOfS1, {
      from: '2026-11-01',
      to: '2026-12-31',
      by: 'month',
    });

    expect(report.drivers.overall.answers).toBe(8);
    expect(report.drivers.overall.examples.waiting).toHaveLength(2);
    expect(report.drivers.stores.map(({ storeId }) => storeId)).toEqual(['S1']);
  });

  it('is empty, with every reason and theme listed, when nothing was counted', async () => {
    const report = await buildReport(deps, marketing, { from: '2025-01-01', to: '2025-01-31', by: 'day' });

    expect(report.drivers.overall).toMatchObject({
      answers: 0,
      withReasons: 0,
      withComments: 0,
      examples: {},
    });
    expect(report.drivers.overall.reasons).toHaveLength(6);
    expect(
      report.drivers.overall.reasons.every(({ nps, share }) => nps === null && share.promoters === null),
    ).toBe(true);
    expect(report.drivers.periods).toHaveLength(31);
  });
});
