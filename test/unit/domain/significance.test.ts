import { describe, expect, it } from 'vitest';
import { npsOf } from '../../../functions/domain/nps';
import { noCounts } from '../../../functions/domain/report';
import {
  changesOverPeriods,
  storeSignificance,
  storeTrend,
} from '../../../functions/domain/report-significance';
import { compareNps, responsesForMargin, restOf, sampleNeeded } from '../../../functions/domain/significance';

const tally = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});
const counts = (promoters: number, passives: number, detractors: number, invited = 0) => ({
  ...noCounts,
  ...tally(promoters, passives, detractors),
  invited,
});

describe('compareNps (adjusted-Wald z test of two independent NPS)', () => {
  it('finds a 20-point gap between 100-response samples within noise', () => {
    // a: n' = 103, p' = 50.75/103 = .492718, d' = 20.75/103 = .201456, NPS' = .291262,
    //    Var = .694175 − .291262² = .609341, Var/n' = .0059159
    // b: p' = 40.75/103 = .395631, d' = 30.75/103 = .298544, NPS' = .097087,
    //    Var = .694175 − .097087² = .684749, Var/n' = .0066481
    // z = .194175 / √(.0059159 + .0066481) = .194175 / .112089 = 1.7323 < 1.96
    const change = compareNps(tally(50, 30, 20), tally(40, 30, 30));
    expect(change?.difference).toBeCloseTo(20, 10);
    expect(change?.z).toBeCloseTo(1.7323, 4);
    expect(change?.significant).toBe(false);
  });

  it('finds the same 20-point gap significant between 200-response samples', () => {
    // a: n' = 203, p' = 100.75/203 = .496305, d' = 40.75/203 = .200739, NPS' = .295567,
    //    Var/n' = (.697044 − .295567²)/203 = .0030034
    // b: p' = 80.75/203 = .397783, d' = 60.75/203 = .299261, NPS' = .098522,
    //    Var/n' = (.697044 − .098522²)/203 = .0033859
    // z = .197044 / √.0063893 = .197044 / .079933 = 2.4651 > 1.96
    const change = compareNps(tally(100, 60, 40), tally(80, 60, 60));
    expect(change?.difference).toBeCloseTo(20, 10);
    expect(change?.z).toBeCloseTo(2.4651, 4);
    expect(change?.significant).toBe(true);
  });

  it('signs the difference and z the same way (first minus second)', () => {
    const change = compareNps(tally(80, 60, 60), tally(100, 60, 40));
    expect(change?.difference).toBeCloseTo(-20, 10);
    expect(change?.z).toBeCloseTo(-2.4651, 4);
    expect(change?.significant).toBe(true);
  });

  it('finds identical samples not significant', () => {
    expect(compareNps(tally(50, 30, 20), tally(50, 30, 20))).toEqual({
      difference: 0,
      z: 0,
      significant: false,
    });
  });

  it('compares nothing when either sample is empty', () => {
    expect(compareNps(tally(0, 0, 0), tally(5, 0, 0))).toBeUndefined();
    expect(compareNps(tally(5, 0, 0), tally(0, 0, 0))).toBeUndefined();
    expect(compareNps(tally(0, 0, 0), tally(0, 0, 0))).toBeUndefined();
  });

  it('never calls one promoter against one detractor significant, though 200 points apart', () => {
    // a: n' = 4, p' = 1.75/4 = .4375, d' = .75/4 = .1875, NPS' = .25, Var = .625 − .0625 = .5625
    // b: the mirror, NPS' = −.25, same Var. z = .5 / √(2 · .5625/4) = .5 / .530330 = .9428
    const change = compareNps(tally(1, 0, 0), tally(0, 0, 1));
    expect(change?.difference).toBe(200);
    expect(change?.z).toBeCloseTo(0.9428, 4);
    expect(change?.significant).toBe(false);
  });

  it('nor two promoters against two detractors', () => {
    // a: n' = 5, p' = 2.75/5 = .55, d' = .15, NPS' = .4, Var = .7 − .16 = .54; b the mirror.
    // z = .8 / √(2 · .54/5) = .8 / .464758 = 1.7213
    const change = compareNps(tally(2, 0, 0), tally(0, 0, 2));
    expect(change?.z).toBeCloseTo(1.7213, 4);
    expect(change?.significant).toBe(false);
  });

  it('finds thirty promoters out of thirty significantly above an NPS of 0', () => {
    // a: n' = 33, p' = 30.75/33 = .931818, d' = .75/33 = .022727, NPS' = .909091,
    //    Var/n' = (.954545 − .909091²)/33 = .0038818
    // b: p' = d' = 10.75/33 = .325758, NPS' = 0, Var/n' = .651515/33 = .0197429
    // z = .909091 / √.0236247 = .909091 / .153703 = 5.9146
    const change = compareNps(tally(30, 0, 0), tally(10, 10, 10));
    expect(change?.difference).toBe(100);
    expect(change?.z).toBeCloseTo(5.9146, 4);
    expect(change?.significant).toBe(true);
  });
});

describe('restOf', () => {
  it('takes a store out of the chain, never below zero', () => {
    expect(restOf(tally(10, 5, 5), tally(3, 2, 1))).toEqual(tally(7, 3, 4));
    expect(restOf(tally(3, 2, 1), tally(3, 2, 1))).toEqual(tally(0, 0, 0));
    expect(restOf(tally(0, 0, 0), tally(1, 0, 0))).toEqual(tally(0, 0, 0));
  });
});

describe('responsesForMargin (±10 points at 95%)', () => {
  it('takes the worst case for an empty store: n′ ≥ 384.16 · 1, so 385 − 3 = 382 responses', () => {
    expect(responsesForMargin(tally(0, 0, 0))).toBe(382);
  });

  it('uses the current adjusted shares: 50/30/20 gives n′ ≥ 384.16 · .609341 = 234.08, so 235 − 3 = 232', () => {
    expect(responsesForMargin(tally(50, 30, 20))).toBe(232);
  });

  it('needs fewer when everyone agrees: 30 promoters give n′ ≥ 384.16 · .128099 = 49.21, so 50 − 3 = 47', () => {
    expect(responsesForMargin(tally(30, 0, 0))).toBe(47);
  });

  it('works from one or two responses: one promoter gives n′ ≥ 384.16 · .5625 = 216.09, so 217 − 3 = 214', () => {
    expect(responsesForMargin(tally(1, 0, 0))).toBe(214);
    // two promoters: p' = 2.75/5 = .55, d' = .15, Var = .7 − .16 = .54; n' ≥ 207.45, so 208 − 3 = 205
    expect(responsesForMargin(tally(2, 0, 0))).toBe(205);
  });

  it('gives a margin of ±10 or less at that many responses if the adjusted shares hold', () => {
    // Var = .609341 at n' = 232 + 3: 1.96 · √(.609341/235) · 100 = 9.98
    const variance = 0.609341;
    expect(1.96 * Math.sqrt(variance / 235) * 100).toBeLessThanOrEqual(10);
    expect(1.96 * Math.sqrt(variance / 234) * 100).toBeGreaterThan(10);
  });

  it('takes any margin: ±5 needs four times the adjusted sample', () => {
    // n' ≥ 1536.64 for the worst case, so 1537 − 3 = 1534
    expect(responsesForMargin(tally(0, 0, 0), 5)).toBe(1534);
  });
});

describe('sampleNeeded', () => {
  it('counts the responses still needed and the invitations they take at the response rate', () => {
    // 232 − 100 = 132 more responses; at 30%, 132 / .3 = 440 invitations (not 441 from float noise)
    expect(sampleNeeded(tally(50, 30, 20), 0.3)).toEqual({
      targetMargin: 10,
      moreResponses: 132,
      moreInvitations: 440,
    });
    // at 25%: 132 / .25 = 528; at 7%: 132 / .07 = 1885.7, so 1886
    expect(sampleNeeded(tally(50, 30, 20), 0.25).moreInvitations).toBe(528);
    expect(sampleNeeded(tally(50, 30, 20), 0.07).moreInvitations).toBe(1886);
  });

  it('has no invitation figure without a response rate, or with one of zero', () => {
    expect(sampleNeeded(tally(0, 0, 0), null)).toEqual({
      targetMargin: 10,
      moreResponses: 382,
      moreInvitations: null,
    });
    expect(sampleNeeded(tally(0, 0, 0), 0).moreInvitations).toBeNull();
  });

  it('needs nothing more once the margin is reached', () => {
    expect(npsOf(tally(1000, 0, 0)).marginOfError).toBeLessThan(10);
    expect(sampleNeeded(tally(1000, 0, 0), 0.5)).toEqual({
      targetMargin: 10,
      moreResponses: 0,
      moreInvitations: 0,
    });
  });

  it('counts each response once however many are invited: a rate above 1 is taken as 1', () => {
    expect(sampleNeeded(tally(50, 30, 20), 1.2).moreInvitations).toBe(132);
  });
});

describe('report significance figures', () => {
  it('compares each period with the one before, none for the first or beside an empty one', () => {
    const changes = changesOverPeriods([
      counts(40, 30, 30),
      counts(50, 30, 20),
      counts(0, 0, 0),
      counts(1, 0, 0),
    ]);
    expect(changes[0]).toBeNull();
    expect(changes[1]).toMatchObject({ significant: false });
    expect(changes[1]?.z).toBeCloseTo(1.7323, 4);
    expect(changes.slice(2)).toEqual([null, null]);
  });

  it('compares a store with the chain without it, and says what it still needs', () => {
    // chain 180/120/100 minus the store 100/60/40 is 80/60/60: the 200-response case, z = 2.4651
    const figures = storeSignificance(counts(100, 60, 40, 800), counts(180, 120, 100, 1600));
    expect(figures.vsRest?.z).toBeCloseTo(2.4651, 4);
    expect(figures.vsRest?.significant).toBe(true);
    // Var = .609685 (adjusted 100/60/40): n′ ≥ 234.22, 235 − 3 = 232 in all, 32 more; 200/800 = 25%, so 128
    expect(figures.sampleNeeded).toEqual({ targetMargin: 10, moreResponses: 32, moreInvitations: 128 });
  });

  it('has nothing to compare a store with when it is the whole chain', () => {
    expect(storeSignificance(counts(5, 0, 0, 10), counts(5, 0, 0, 10)).vsRest).toBeNull();
  });

  it('gives a store its trend, period by period, empty periods included', () => {
    const periods = [
      { period: '2026-10', from: '2026-10-01', to: '2026-10-31' },
      { period: '2026-11', from: '2026-11-01', to: '2026-11-30' },
    ];
    const trend = storeTrend(
      periods,
      new Map([['2026-11', counts(30, 0, 0, 60)]]),
      new Map([['2026-11', counts(40, 10, 10, 90)]]),
    );
    expect(trend[0]).toEqual({
      ...periods[0],
      responses: 0,
      nps: null,
      marginOfError: null,
      lowConfidence: true,
      responseRate: null,
      change: null,
      vsRest: null,
      sampleNeeded: { targetMargin: 10, moreResponses: 382, moreInvitations: null },
    });
    // 30 promoters against the rest, 10/10/10: z = 5.9146; 47 − 30 = 17 more, at 50% 34 invitations
    expect(trend[1]).toMatchObject({ responses: 30, nps: 100, change: null, responseRate: 0.5 });
    expect(trend[1]?.vsRest?.z).toBeCloseTo(5.9146, 4);
    expect(trend[1]?.sampleNeeded).toEqual({ targetMargin: 10, moreResponses: 17, moreInvitations: 34 });
  });
});
