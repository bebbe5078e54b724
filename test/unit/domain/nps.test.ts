import { describe, expect, it } from 'vitest';
import { aggregateKeysOf, countDelta, periodsOf } from '../../../functions/domain/aggregates';
import { categoryOf, npsOf } from '../../../functions/domain/nps';

describe('categoryOf', () => {
  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ] as const)('classes %i as a %s', (score, category) => {
    expect(categoryOf(score)).toBe(category);
  });
});

describe('npsOf', () => {
  it('is %promoters minus %detractors, passives counting only in the total', () => {
    expect(npsOf({ promoters: 50, passives: 30, detractors: 20 }).nps).toBe(30);
  });

  it('gives the adjusted-Wald 95% margin of error', () => {
    // n' = 103, p' = 50.75/103, d' = 20.75/103, Var = (p' + d' − (p' − d')²)/n'
    const p = 50.75 / 103;
    const d = 20.75 / 103;
    const expected = 1.96 * Math.sqrt((p + d - (p - d) ** 2) / 103) * 100;
    expect(npsOf({ promoters: 50, passives: 30, detractors: 20 }).marginOfError).toBeCloseTo(expected, 10);
    expect(npsOf({ promoters: 50, passives: 30, detractors: 20 }).marginOfError).toBeCloseTo(15.08, 2);
  });

  it('narrows the margin as responses grow, to about ±10 points near 300 responses', () => {
    const small = npsOf({ promoters: 10, passives: 6, detractors: 4 });
    const large = npsOf({ promoters: 150, passives: 90, detractors: 60 });
    expect(large.marginOfError).toBeLessThan(small.marginOfError ?? 0);
    expect(large.marginOfError).toBeGreaterThan(8);
    expect(large.marginOfError).toBeLessThan(10);
  });

  it('flags fewer than 30 responses as low confidence and has no score without responses', () => {
    expect(npsOf({ promoters: 20, passives: 5, detractors: 4 }).lowConfidence).toBe(true);
    expect(npsOf({ promoters: 20, passives: 6, detractors: 4 }).lowConfidence).toBe(false);
    expect(npsOf({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      responses: 0,
      nps: undefined,
      marginOfError: undefined,
      lowConfidence: true,
    });
  });

  it('ranges from −100 to +100', () => {
    expect(npsOf({ promoters: 0, passives: 0, detractors: 7 }).nps).toBe(-100);
    expect(npsOf({ promoters: 7, passives: 0, detractors: 0 }).nps).toBe(100);
  });
});

describe('countDelta', () => {
  it('adds a first answer to the total, its category and its histogram bucket', () => {
    expect(countDelta(undefined, 9)).toEqual({ total: 1, promoters: 1, h9: 1 });
  });

  it('moves a changed answer between categories without touching the total', () => {
    expect(countDelta(3, 9)).toEqual({ detractors: -1, h3: -1, promoters: 1, h9: 1 });
  });

  it('moves only the histogram within a category, and nothing for the same score', () => {
    expect(countDelta(9, 10)).toEqual({ h9: -1, h10: 1 });
    expect(countDelta(7, 7)).toEqual({});
  });
});

describe('aggregate periods and keys', () => {
  it('counts an answer in its store and overall, per UTC day and month of the first answer', () => {
    expect(aggregateKeysOf('S1', periodsOf('2026-11-23T23:59:00.000Z'))).toEqual([
      { scope: 'store#S1', period: 'day#2026-11-23' },
      { scope: 'store#S1', period: 'month#2026-11' },
      { scope: 'all', period: 'day#2026-11-23' },
      { scope: 'all', period: 'month#2026-11' },
    ]);
  });
});
