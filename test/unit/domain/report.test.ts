import { describe, expect, it } from 'vitest';
import {
  addCounts,
  aggregateRangesFor,
  countsOfItem,
  defaultReportRange,
  figuresOf,
  isoWeekOf,
  noCounts,
  periodOfItem,
  periodsBetween,
} from '../../../functions/domain/report';

describe('isoWeekOf', () => {
  it.each([
    ['2026-11-23', '2026-W48', '2026-11-23', '2026-11-29'],
    ['2026-11-29', '2026-W48', '2026-11-23', '2026-11-29'],
    // 1 January 2027 is a Friday: it belongs to the last week of 2026.
    ['2027-01-01', '2026-W53', '2026-12-28', '2027-01-03'],
    // 29 December 2025 is a Monday whose Thursday is in 2026: week 1 of 2026.
    ['2025-12-29', '2026-W01', '2025-12-29', '2026-01-04'],
  ])('puts %s in %s (%s to %s)', (day, period, from, to) => {
    expect(isoWeekOf(day)).toEqual({ period, from, to });
  });
});

describe('periodsBetween', () => {
  it('clips the first and last period to the range, and includes empty ones', () => {
    expect(periodsBetween('2026-01-15', '2026-03-10', 'month')).toEqual([
      { period: '2026-01', from: '2026-01-15', to: '2026-01-31' },
      { period: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { period: '2026-03', from: '2026-03-01', to: '2026-03-10' },
    ]);
    expect(periodsBetween('2026-11-25', '2026-12-01', 'week').map((p) => p.period)).toEqual([
      '2026-W48',
      '2026-W49',
    ]);
    expect(periodsBetween('2026-02-27', '2026-03-01', 'day')).toHaveLength(3);
  });
});

describe('aggregateRangesFor', () => {
  it('reads monthly items for whole months and daily items for the partial edges', () => {
    expect(aggregateRangesFor('2026-01-15', '2026-04-10', 'month')).toEqual([
      { from: 'day#2026-01-15', to: 'day#2026-01-31' },
      { from: 'month#2026-02', to: 'month#2026-03' },
      { from: 'day#2026-04-01', to: 'day#2026-04-10' },
    ]);
    expect(aggregateRangesFor('2026-01-01', '2026-12-31', 'month')).toEqual([
      { from: 'month#2026-01', to: 'month#2026-12' },
    ]);
  });

  it('reads daily items when no month is whole, and always by day or week', () => {
    expect(aggregateRangesFor('2026-01-05', '2026-01-20', 'month')).toEqual([
      { from: 'day#2026-01-05', to: 'day#2026-01-20' },
    ]);
    expect(aggregateRangesFor('2026-01-01', '2026-12-31', 'week')).toEqual([
      { from: 'day#2026-01-01', to: 'day#2026-12-31' },
    ]);
  });
});

describe('periodOfItem', () => {
  it('maps daily and monthly items to the report period', () => {
    expect(periodOfItem('day#2026-11-23', 'week')).toBe('2026-W48');
    expect(periodOfItem('day#2026-11-23', 'month')).toBe('2026-11');
    expect(periodOfItem('month#2026-11', 'month')).toBe('2026-11');
    expect(periodOfItem('day#2026-11-23', 'day')).toBe('2026-11-23');
  });
});

describe('figuresOf', () => {
  it('sums items and gives NPS, margin, response rate and histogram', () => {
    const a = countsOfItem({
      promoters: 3,
      passives: 1,
      detractors: 1,
      invited: 10,
      h10: 3,
      h7: 1,
      h2: 1,
      scannerAnswers: 11,
    });
    const b = countsOfItem({ promoters: 1, detractors: 2, invited: 10, h9: 1, h0: 2 });
    const figures = figuresOf(addCounts(a, b));
    expect(figures).toMatchObject({
      responses: 8,
      promoters: 4,
      passives: 1,
      detractors: 3,
      nps: 12.5,
      invited: 20,
      responseRate: 0.4,
      lowConfidence: true,
      histogram: [2, 0, 1, 0, 0, 0, 0, 1, 0, 1, 3],
      scannerAnswersDiscarded: 11,
    });
    expect(figures.marginOfError).toBeGreaterThan(40);
  });

  it('has no NPS, margin or rate without responses or invitations', () => {
    expect(figuresOf(noCounts)).toMatchObject({
      nps: null,
      marginOfError: null,
      responseRate: null,
      responses: 0,
    });
  });
});

describe('defaultReportRange', () => {
  it('covers the last twelve months, from the first of the month, to today (UTC)', () => {
    expect(defaultReportRange(new Date('2026-11-23T22:00:00Z'))).toEqual({
      from: '2025-12-01',
      to: '2026-11-23',
    });
    expect(defaultReportRange(new Date('2026-01-31T00:30:00Z'))).toEqual({
      from: '2025-02-01',
      to: '2026-01-31',
    });
  });
});
