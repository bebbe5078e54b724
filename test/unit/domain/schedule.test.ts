import { describe, expect, it } from 'vitest';
import { localDateHour, previousDate } from '../../../functions/domain/follow-up';
import { retryDelaySeconds } from '../../../functions/domain/retry';
import {
  addMonths,
  DUE_SHARDS,
  dueShardOf,
  effectiveNow,
  FIRST_SURVEY_SPREAD_DAYS,
  firstSurveyAt,
  invitationDecision,
  isThrottled,
  nextSurveyAfter,
  provisionalNextSurveyAt,
} from '../../../functions/domain/schedule';

const at = (iso: string) => new Date(iso);

describe('addMonths', () => {
  it('adds calendar months in UTC', () => {
    expect(addMonths(at('2026-01-15T10:00:00Z'), 6).toISOString()).toBe('2026-07-15T10:00:00.000Z');
  });

  it('clamps to the last day of a shorter month', () => {
    expect(addMonths(at('2026-08-31T10:00:00Z'), 6).toISOString()).toBe('2027-02-28T10:00:00.000Z');
  });
});

describe('firstSurveyAt', () => {
  const importedAt = at('2026-11-23T09:00:00Z');

  it('falls within the spread after import, the same for the same customer every time', () => {
    const first = firstSurveyAt('C42', importedAt);
    expect(first.getTime()).toBeGreaterThan(importedAt.getTime());
    expect(first.getTime()).toBeLessThan(importedAt.getTime() + (FIRST_SURVEY_SPREAD_DAYS + 1) * 86_400_000);
    expect(firstSurveyAt('C42', importedAt)).toEqual(first);
  });

  it('spreads a large import over the weeks instead of one day', () => {
    const days = new Set(
      Array.from({ length: 2000 }, (_, n) =>
        Math.floor((firstSurveyAt(`C${n}`, importedAt).getTime() - importedAt.getTime()) / 86_400_000),
      ),
    );
    expect(days.size).toBeGreaterThanOrEqual(FIRST_SURVEY_SPREAD_DAYS);
  });
});

describe('dueShardOf', () => {
  it('places customers in every shard, stably', () => {
    const shards = new Set(Array.from({ length: 1000 }, (_, n) => dueShardOf(`C${n}`)));
    expect(shards.size).toBe(DUE_SHARDS);
    expect(dueShardOf('C1')).toBe(dueShardOf('C1'));
  });
});

describe('isThrottled', () => {
  it('throttles a survey less than six months after the last', () => {
    expect(isThrottled('2026-01-15T10:00:00.000Z', at('2026-07-15T09:59:59Z'))).toBe(true);
  });

  it('allows one six months or more after the last, or a first one', () => {
    expect(isThrottled('2026-01-15T10:00:00.000Z', at('2026-07-15T10:00:00Z'))).toBe(false);
    expect(isThrottled(undefined, at('2026-07-15T10:00:00Z'))).toBe(false);
  });
});

describe('invitationDecision', () => {
  const subscribed = { contactStatus: 'subscribed' };
  const cycle = '2026-12-01T10:00:00.000Z';

  it('sends to a subscribed customer never surveyed', () => {
    expect(invitationDecision(subscribed, cycle, at(cycle))).toEqual({ send: true });
  });

  it.each([
    ['an unknown customer', undefined, 'unknown-customer'],
    ['an unsubscribed customer', { contactStatus: 'unsubscribed' }, 'not-subscribed'],
    ['a bounced customer', { contactStatus: 'bounced' }, 'not-subscribed'],
    ['a customer already sent this cycle', { ...subscribed, lastCycleAt: cycle }, 'already-sent'],
    [
      'a customer surveyed three months ago',
      { ...subscribed, lastSurveyedAt: '2026-09-01T10:00:00.000Z' },
      'throttled',
    ],
  ])('skips %s', (_label, customer, reason) => {
    expect(invitationDecision(customer, cycle, at(cycle))).toEqual({ send: false, reason });
  });
});

describe('next survey dates', () => {
  it('is six months after the send', () => {
    expect(nextSurveyAfter(at('2026-12-01T10:00:00Z')).toISOString()).toBe('2027-06-01T10:00:00.000Z');
  });

  it('moves a provisional date six months past the later of due date and now', () => {
    expect(
      provisionalNextSurveyAt(at('2026-12-01T10:00:00Z'), at('2027-03-01T00:00:00Z')).toISOString(),
    ).toBe('2027-09-01T00:00:00.000Z');
  });

  it('runs a task as of its scheduled instant, or later if it was delayed', () => {
    expect(effectiveNow(at('2027-01-01T00:00:00Z'), at('2026-11-23T00:00:00Z')).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(effectiveNow(at('2026-11-01T00:00:00Z'), at('2026-11-23T00:00:00Z')).toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
  });
});

describe('retryDelaySeconds', () => {
  it('doubles from the base with each attempt, capped at fifteen minutes', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelaySeconds(attempt, 30))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20, 30)).toBe(900);
  });
});

describe('local dates for digests', () => {
  it('gives the calendar date and hour in the store’s time zone', () => {
    expect(localDateHour(at('2026-11-23T23:30:00Z'), 'Europe/Paris')).toEqual({
      date: '2026-11-24',
      hour: 0,
    });
    expect(localDateHour(at('2026-11-23T12:00:00Z'), 'America/New_York')).toEqual({
      date: '2026-11-23',
      hour: 7,
    });
  });

  it('finds the day before, across month ends', () => {
    expect(previousDate('2027-03-01')).toBe('2027-02-28');
  });
});
