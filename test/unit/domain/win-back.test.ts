import { describe, expect, it } from 'vitest';
import {
  addWinBackCounts,
  adjustedWaldShare,
  compareShares,
  noWinBackCounts,
  previousDetractorSurvey,
  winBackCountsOfItem,
  winBackDelta,
  winBackDeltas,
  winBackFiguresOf,
  winBackGroupOf,
  winBackRateOf,
} from '../../../functions/domain/win-back';

const called = { group: 'called' } as const;
const notReached = { group: 'not-reached' } as const;

describe('winBackGroupOf', () => {
  it('puts a case closed after a call reached the customer in the called group', () => {
    expect(winBackGroupOf({ status: 'closed', firstReachedAt: '2026-04-02T10:00:00Z' })).toBe('called');
  });

  it.each(['open', 'contacted', 'closed'])(
    'puts a %s case that no call reached in the control group',
    (status) => {
      expect(winBackGroupOf({ status })).toBe('not-reached');
    },
  );

  it('puts a reached case that is still open in neither group', () => {
    expect(winBackGroupOf({ status: 'contacted', firstReachedAt: '2026-04-02T10:00:00Z' })).toBe(
      'reached-open',
    );
  });
});

describe('previousDetractorSurvey', () => {
  it('is the survey just before this one in the history when its score was 0 to 6', () => {
    const history = [{ surveyId: 'a', score: 3 }, { surveyId: 'b', score: 6 }, { surveyId: 'c' }];
    expect(previousDetractorSurvey(history, 'c')).toEqual({ surveyId: 'b', score: 6 });
    expect(previousDetractorSurvey(history, 'b')).toEqual({ surveyId: 'a', score: 3 });
  });

  it('is none after a passive or an unanswered survey (even with an older detractor), for a first survey or one not in the history', () => {
    expect(previousDetractorSurvey([{ surveyId: 'a', score: 7 }, { surveyId: 'b' }], 'b')).toBeUndefined();
    expect(
      previousDetractorSurvey([{ surveyId: 'a', score: 2 }, { surveyId: 'b' }, { surveyId: 'c' }], 'c'),
    ).toBeUndefined();
    expect(previousDetractorSurvey([{ surveyId: 'a', score: 2 }], 'a')).toBeUndefined();
    expect(previousDetractorSurvey([{ surveyId: 'a', score: 2 }], 'z')).toBeUndefined();
  });
});

describe('winBackDelta', () => {
  it('counts a first answer in its group and category', () => {
    expect(winBackDelta(called, undefined, 9)).toEqual({ wbCalledPromoters: 1 });
    expect(winBackDelta(called, undefined, 7)).toEqual({ wbCalledPassives: 1 });
    expect(winBackDelta(notReached, undefined, 6)).toEqual({ wbNotReachedDetractors: 1 });
  });

  it('moves a changed answer from its old category to its new one, and changes nothing within one', () => {
    expect(winBackDelta(notReached, 3, 8)).toEqual({ wbNotReachedDetractors: -1, wbNotReachedPassives: 1 });
    expect(winBackDelta(called, 10, 2)).toEqual({ wbCalledPromoters: -1, wbCalledDetractors: 1 });
    expect(winBackDelta(called, 9, 10)).toEqual({});
  });

  it('counts nothing without a baseline or for a reached case still open', () => {
    expect(winBackDelta(undefined, undefined, 9)).toEqual({});
    expect(winBackDelta({ group: 'reached-open' }, undefined, 9)).toEqual({});
  });
});

describe('winBackDeltas', () => {
  const periods = { day: 'day#2027-05-03', month: 'month#2027-05' };
  const baseline = { surveyId: 'sv-0', score: 4, storeId: 'S2', group: 'called' } as const;

  it('counts in the store whose case it was and everyone’s, by day and month', () => {
    expect(winBackDeltas(baseline, periods, undefined, 8)).toEqual([
      { scope: 'store#S2', period: 'day#2027-05-03', delta: { wbCalledPassives: 1 } },
      { scope: 'store#S2', period: 'month#2027-05', delta: { wbCalledPassives: 1 } },
      { scope: 'all', period: 'day#2027-05-03', delta: { wbCalledPassives: 1 } },
      { scope: 'all', period: 'month#2027-05', delta: { wbCalledPassives: 1 } },
    ]);
  });

  it('touches no aggregate when nothing changes', () => {
    expect(winBackDeltas(undefined, periods, undefined, 8)).toEqual([]);
    expect(winBackDeltas(baseline, periods, 7, 8)).toEqual([]);
  });
});

describe('winBackCountsOfItem and addWinBackCounts', () => {
  it('reads the counts of an item, missing ones as 0, and adds items', () => {
    const item = { wbCalledPromoters: 2, wbCalledDetractors: 1, wbNotReachedPassives: 3, promoters: 99 };
    const counts = winBackCountsOfItem(item);
    expect(counts).toEqual({
      called: { promoters: 2, passives: 0, detractors: 1 },
      notReached: { promoters: 0, passives: 3, detractors: 0 },
    });
    expect(addWinBackCounts(counts, counts)).toEqual({
      called: { promoters: 4, passives: 0, detractors: 2 },
      notReached: { promoters: 0, passives: 6, detractors: 0 },
    });
    expect(addWinBackCounts(noWinBackCounts, counts)).toEqual(counts);
  });
});

describe('adjustedWaldShare (Agresti–Coull, 95%)', () => {
  // ñ = n + 1.96², p̃ = (x + 1.96²/2)/ñ, p̃ ± 1.96·√(p̃(1 − p̃)/ñ), computed by hand.
  it('gives 8 of 10 the interval 0.4794 to 0.9541 around 0.7167', () => {
    const share = adjustedWaldShare(8, 10);
    expect(share.centre).toBeCloseTo(0.716738, 6);
    expect(share.margin).toBeCloseTo(0.237376, 6);
    expect(share.low).toBeCloseTo(0.479362, 6);
    expect(share.high).toBeCloseTo(0.954114, 6);
  });

  it('clips 0 of 10 at 0 (upper 0.3209) and 1 of 1 at 1', () => {
    expect(adjustedWaldShare(0, 10)).toMatchObject({ low: 0 });
    expect(adjustedWaldShare(0, 10).high).toBeCloseTo(0.320895, 6);
    expect(adjustedWaldShare(1, 1)).toMatchObject({ high: 1 });
    expect(adjustedWaldShare(1, 1).low).toBeCloseTo(0.167494, 6);
  });
});

describe('winBackRateOf', () => {
  it('is the share of passives and promoters, with its interval and the low-sample flag', () => {
    const rate = winBackRateOf({ promoters: 5, passives: 3, detractors: 2 });
    expect(rate).toMatchObject({ answered: 10, wonBack: 8, rate: 0.8, lowConfidence: true });
    expect(rate.low).toBeCloseTo(0.479362, 6);
    expect(rate.high).toBeCloseTo(0.954114, 6);
    expect(rate.marginOfError).toBeCloseTo(0.237376, 6);
    expect(winBackRateOf({ promoters: 20, passives: 10, detractors: 10 }).lowConfidence).toBe(false);
  });

  it('has no share and no interval without answers', () => {
    expect(winBackRateOf({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      answered: 0,
      wonBack: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      rate: null,
      low: null,
      high: null,
      marginOfError: null,
      lowConfidence: true,
    });
  });
});

describe('compareShares (Agresti–Caffo, 95%)', () => {
  it('finds 8 of 10 against 3 of 10 significant: p̃ = 9/12 and 4/12, SE 0.18478, z 2.255', () => {
    const difference = compareShares({ successes: 8, trials: 10 }, { successes: 3, trials: 10 });
    expect(difference?.difference).toBeCloseTo(0.5, 9);
    expect(difference?.z).toBeCloseTo(2.254938, 6);
    expect(difference?.low).toBeCloseTo(0.054499, 6);
    expect(difference?.high).toBeCloseTo(0.778835, 6);
    expect(difference?.significant).toBe(true);
  });

  it('finds 5 of 10 against 4 of 10 within noise', () => {
    const difference = compareShares({ successes: 5, trials: 10 }, { successes: 4, trials: 10 });
    expect(difference?.z).toBeCloseTo(0.411113, 6);
    expect(difference?.significant).toBe(false);
  });

  it('keeps one answer each honest: 1 of 1 against 0 of 1 is a 100-point difference and noise', () => {
    const difference = compareShares({ successes: 1, trials: 1 }, { successes: 0, trials: 1 });
    expect(difference).toMatchObject({ difference: 1, high: 1, significant: false });
    expect(difference?.z).toBeCloseTo(Math.sqrt(3) / 2, 9);
  });

  it('compares nothing with an empty group', () => {
    expect(compareShares({ successes: 0, trials: 0 }, { successes: 3, trials: 10 })).toBeUndefined();
    expect(compareShares({ successes: 3, trials: 10 }, { successes: 0, trials: 0 })).toBeUndefined();
  });
});

describe('winBackFiguresOf', () => {
  it('gives each group’s share and the difference, called minus not reached', () => {
    const figures = winBackFiguresOf({
      called: { promoters: 6, passives: 2, detractors: 2 },
      notReached: { promoters: 1, passives: 2, detractors: 7 },
    });
    expect(figures.called.rate).toBe(0.8);
    expect(figures.notReached.rate).toBeCloseTo(0.3, 9);
    expect(figures.difference?.z).toBeCloseTo(2.254938, 6);
    expect(figures.difference?.significant).toBe(true);
  });

  it('has no difference while a group is empty', () => {
    expect(winBackFiguresOf(noWinBackCounts)).toMatchObject({
      called: { answered: 0, rate: null },
      notReached: { answered: 0, rate: null },
      difference: null,
    });
  });
});
