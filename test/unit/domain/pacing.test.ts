import { describe, expect, it } from 'vitest';
import { createPacer, deferralDelaySeconds, sendRatePerEnvironment } from '../../../functions/domain/pacing';

describe('sendRatePerEnvironment', () => {
  it("gives each environment its share of the account's rate, less the reserved share", () => {
    expect(sendRatePerEnvironment({ accountRate: 14, reservedShare: 0.2, maxConcurrency: 5 })).toBeCloseTo(
      2.24,
    );
    expect(sendRatePerEnvironment({ accountRate: 50, reservedShare: 0, maxConcurrency: 2 })).toBe(25);
  });

  it('keeps within bounds a share outside 0-1 and a concurrency below one', () => {
    expect(sendRatePerEnvironment({ accountRate: 10, reservedShare: 1.5, maxConcurrency: 5 })).toBe(0);
    expect(sendRatePerEnvironment({ accountRate: 10, reservedShare: -1, maxConcurrency: 0 })).toBe(10);
  });
});

describe('createPacer', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('spaces sends 1/rate apart, the first at once', () => {
    const time = clock();
    const pacer = createPacer(time.now);
    const waits = Array.from({ length: 4 }, () => pacer.reserve(4, 10_000));
    expect(waits).toEqual([{ waitMs: 0 }, { waitMs: 250 }, { waitMs: 500 }, { waitMs: 750 }]);
  });

  it('lets no burst build up while idle: after a pause, the next send goes at once, the one after waits', () => {
    const time = clock();
    const pacer = createPacer(time.now);
    pacer.reserve(2, 10_000);
    time.advance(60_000);
    expect(pacer.reserve(2, 10_000)).toEqual({ waitMs: 0 });
    expect(pacer.reserve(2, 10_000)).toEqual({ waitMs: 500 });
  });

  it('refuses a slot further away than the wait allowed, and reserves nothing for it', () => {
    const time = clock();
    const pacer = createPacer(time.now);
    pacer.reserve(1, 5_000);
    pacer.reserve(1, 5_000);
    expect(pacer.reserve(1, 1_500)).toEqual({ refusedMs: 2_000 });
    expect(pacer.reserve(1, 2_000)).toEqual({ waitMs: 2_000 });
  });

  it('follows a rate that changes (a new quota read)', () => {
    const time = clock();
    const pacer = createPacer(time.now);
    pacer.reserve(1, 10_000);
    expect(pacer.reserve(10, 10_000)).toEqual({ waitMs: 1_000 });
    expect(pacer.reserve(10, 10_000)).toEqual({ waitMs: 1_100 });
  });
});

describe('deferralDelaySeconds', () => {
  it('waits what the pacer foresaw when paced out: at least a second, at most 15 minutes', () => {
    expect(deferralDelaySeconds({ kind: 'paced', waitMs: 4_200 }, 0, 30)).toBe(5);
    expect(deferralDelaySeconds({ kind: 'paced', waitMs: 10 }, 3, 30)).toBe(1);
    expect(deferralDelaySeconds({ kind: 'paced', waitMs: 3_600_000 }, 0, 30)).toBe(900);
  });

  it('backs off exponentially from the retry base when SES throttled, up to 15 minutes', () => {
    expect(
      [0, 1, 2, 3, 10].map((deferrals) => deferralDelaySeconds({ kind: 'throttled' }, deferrals, 30)),
    ).toEqual([30, 60, 120, 240, 900]);
  });

  it('never comes back at once after a throttle, even with a retry base of 0', () => {
    expect(deferralDelaySeconds({ kind: 'throttled' }, 0, 0)).toBe(1);
  });
});
