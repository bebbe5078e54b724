import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEND_WINDOW_TEXT,
  formatSendWindow,
  isAlwaysOpen,
  localTimeOf,
  openPeriodAt,
  openPeriods,
  parseSendWindow,
  type SendWindow,
  sendTiming,
  slotIn,
  zonedInstant,
} from '../../../functions/domain/send-window';

const weekdays = parseSendWindow(DEFAULT_SEND_WINDOW_TEXT);
const everyDay = parseSendWindow('Mon-Sun 09:00-18:00');
const at = (iso: string) => new Date(iso);
const day = (date: string) => new Date(`${date}T00:00:00Z`);
const iso = (instant: Date | undefined) => instant?.toISOString();
const periods = (window: SendWindow, zone: string, from: string, count: number) => {
  const found: string[] = [];
  for (const period of openPeriods(window, zone, at(from))) {
    found.push(`${iso(period.start)}/${iso(period.end)}`);
    if (found.length === count) break;
  }
  return found;
};

describe('parseSendWindow', () => {
  it('reads the default window as weekdays, 09:00 to 18:00', () => {
    expect(weekdays).toEqual({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080 });
  });

  it('reads lists, wrapping ranges and midnight at the end of the day', () => {
    expect(parseSendWindow('Sat,Mon 08:30-24:00')).toEqual({
      days: [1, 6],
      startMinute: 510,
      endMinute: 1440,
    });
    expect(parseSendWindow(' fri-mon 9:00 - 12:00 ').days).toEqual([0, 1, 5, 6]);
  });

  it.each([
    ['weekdays', 'must read like'],
    ['Mon-Fry 09:00-18:00', 'unknown day "Fry"'],
    ['Mon-Fri 9h-18h', '"9h" is not a time of day'],
    ['Mon-Fri 09:00-24:30', '"24:30" is not a time of day'],
    ['Mon-Fri 22:00-02:00', 'end must be after its start'],
    ['Mon-Fri 09:00-09:00', 'end must be after its start'],
  ])('refuses %s, saying what is wrong', (text, message) => {
    expect(() => parseSendWindow(text)).toThrow(message);
  });

  it('writes a window back in a form it reads', () => {
    const window = parseSendWindow('Sat-Mon 07:05-24:00');
    expect(formatSendWindow(window)).toBe('Sun,Mon,Sat 07:05-24:00');
    expect(parseSendWindow(formatSendWindow(window))).toEqual(window);
  });

  it('knows a window that never closes', () => {
    expect(isAlwaysOpen(parseSendWindow('Mon-Sun 00:00-24:00'))).toBe(true);
    expect(isAlwaysOpen(parseSendWindow('Mon-Sat 00:00-24:00'))).toBe(false);
    expect(isAlwaysOpen(weekdays)).toBe(false);
  });
});

describe('zonedInstant', () => {
  it('follows Paris onto summer time on 29 March 2026', () => {
    expect(iso(zonedInstant(day('2026-03-28'), 9 * 60, 'Europe/Paris'))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(zonedInstant(day('2026-03-29'), 9 * 60, 'Europe/Paris'))).toBe('2026-03-29T07:00:00.000Z');
  });

  it('maps a time the clocks skip to as long after the change', () => {
    expect(iso(zonedInstant(day('2026-03-29'), 150, 'Europe/Paris'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('follows New York off summer time on 1 November 2026, taking the first of a repeated hour', () => {
    expect(iso(zonedInstant(day('2026-10-31'), 9 * 60, 'America/New_York'))).toBe('2026-10-31T13:00:00.000Z');
    expect(iso(zonedInstant(day('2026-11-01'), 9 * 60, 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
    expect(iso(zonedInstant(day('2026-11-01'), 90, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('reads back as the local time it was made from', () => {
    const instant = zonedInstant(day('2026-07-14'), 17 * 60 + 45, 'Asia/Tokyo');
    expect(localTimeOf(instant, 'Asia/Tokyo')).toEqual({ date: day('2026-07-14'), weekday: 2, minute: 1065 });
  });
});

describe('openPeriods', () => {
  it('opens on weekdays only, in the zone’s local time', () => {
    // Friday 4 December 2026, 19:00 in Tokyo: the next period is Monday's.
    expect(periods(weekdays, 'Asia/Tokyo', '2026-12-04T10:00:00Z', 2)).toEqual([
      '2026-12-07T00:00:00.000Z/2026-12-07T09:00:00.000Z',
      '2026-12-08T00:00:00.000Z/2026-12-08T09:00:00.000Z',
    ]);
  });

  it('keeps local hours across a clock change (Paris, spring 2026)', () => {
    expect(periods(everyDay, 'Europe/Paris', '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-28T08:00:00.000Z/2026-03-28T17:00:00.000Z',
      '2026-03-29T07:00:00.000Z/2026-03-29T16:00:00.000Z',
    ]);
  });

  it('keeps local hours across a clock change (New York, autumn 2026)', () => {
    expect(periods(everyDay, 'America/New_York', '2026-10-31T20:00:00Z', 2)).toEqual([
      '2026-10-31T13:00:00.000Z/2026-10-31T22:00:00.000Z',
      '2026-11-01T14:00:00.000Z/2026-11-01T23:00:00.000Z',
    ]);
  });

  it('gives a whole-day window 23 hours on the spring-forward day', () => {
    const [period] = openPeriods(
      parseSendWindow('Sun 00:00-24:00'),
      'Europe/Paris',
      at('2026-03-29T00:00:00Z'),
    );
    expect(iso(period?.start)).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(period?.end)).toBe('2026-03-29T22:00:00.000Z');
  });

  it('finds the period an instant lies in, and none outside the window', () => {
    expect(iso(openPeriodAt(weekdays, 'Europe/Paris', at('2026-12-01T16:59:59Z'))?.end)).toBe(
      '2026-12-01T17:00:00.000Z',
    );
    expect(openPeriodAt(weekdays, 'Europe/Paris', at('2026-12-01T17:00:00Z'))).toBeUndefined();
    expect(openPeriodAt(weekdays, 'Europe/Paris', at('2026-12-05T10:00:00Z'))).toBeUndefined();
  });
});

describe('slotIn', () => {
  const period = { start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T17:00:00Z') };

  it('is stable for an item, and leaves the last tick of the period free', () => {
    expect(slotIn(period, 'C1')).toEqual(slotIn(period, 'C1'));
    for (let n = 0; n < 500; n++) {
      const slot = slotIn(period, `C${n}`).getTime();
      expect(slot).toBeGreaterThanOrEqual(period.start.getTime());
      expect(slot).toBeLessThanOrEqual(at('2026-12-01T16:00:00Z').getTime());
    }
  });

  it('spreads a backlog evenly over the period’s hours', () => {
    const perHour = new Array(8).fill(0);
    for (let n = 0; n < 8_000; n++) {
      const hour = Math.floor((slotIn(period, `C${n}`).getTime() - period.start.getTime()) / 3_600_000);
      perHour[hour] += 1;
    }
    // 1,000 expected per hour; a uniform spread stays well within ±15%.
    for (const count of perHour) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });
});

describe('sendTiming', () => {
  // Tuesday 1 December 2026: Paris opens at 08:00Z and closes at 17:00Z.
  const timing = (dueAt: string, now: string, key = 'C1') =>
    sendTiming(weekdays, 'Europe/Paris', key, at(dueAt), at(now));

  it('sends now, until the close, what came due while the window is open', () => {
    expect(timing('2026-12-01T09:30:00Z', '2026-12-01T10:00:00Z')).toEqual({
      send: 'now',
      sendBy: at('2026-12-01T17:00:00Z'),
    });
  });

  it('puts what is due at night at its slot in the next period', () => {
    const result = timing('2026-11-30T22:00:00Z', '2026-11-30T23:00:00Z');
    expect(result).toEqual({
      send: 'later',
      at: slotIn({ start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T17:00:00Z') }, 'C1'),
    });
  });

  it('sends a backlog item once its slot has come, and not before', () => {
    const period = { start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T17:00:00Z') };
    const slot = slotIn(period, 'C1');
    expect(timing('2026-11-30T22:00:00Z', new Date(slot.getTime() - 1).toISOString())).toEqual({
      send: 'later',
      at: slot,
    });
    expect(timing(slot.toISOString(), slot.toISOString())).toEqual({ send: 'now', sendBy: period.end });
    expect(timing('2026-11-30T22:00:00Z', slot.toISOString())).toEqual({ send: 'now', sendBy: period.end });
  });

  it('waits over the weekend, to Monday in the store’s zone', () => {
    const result = sendTiming(
      weekdays,
      'America/New_York',
      'C1',
      at('2026-12-05T15:00:00Z'),
      at('2026-12-05T15:00:00Z'),
    );
    if (result.send !== 'later') throw new Error('expected later');
    expect(localTimeOf(result.at, 'America/New_York').weekday).toBe(1);
    expect(result.at.getTime()).toBeGreaterThanOrEqual(at('2026-12-07T14:00:00Z').getTime());
    expect(result.at.getTime()).toBeLessThanOrEqual(at('2026-12-07T22:00:00Z').getTime());
  });

  it('sends at once, with no deadline, in a window that never closes', () => {
    expect(
      sendTiming(
        parseSendWindow('Mon-Sun 00:00-24:00'),
        'Asia/Tokyo',
        'C1',
        at('2026-12-05T15:00:00Z'),
        at('2026-12-05T15:00:00Z'),
      ),
    ).toEqual({ send: 'now' });
  });

  it('never sends outside the window, hour after hour over a week, in three zones', () => {
    for (const zone of ['Europe/Paris', 'America/New_York', 'Asia/Tokyo']) {
      for (let hour = 0; hour < 7 * 24; hour++) {
        const now = new Date(at('2026-11-28T00:17:00Z').getTime() + hour * 3_600_000);
        for (const key of ['A', 'B', 'C', 'D']) {
          const result = sendTiming(weekdays, zone, key, new Date(now.getTime() - 5_400_000), now);
          if (result.send === 'now') {
            const local = localTimeOf(now, zone);
            expect(local.weekday >= 1 && local.weekday <= 5).toBe(true);
            expect(local.minute >= 540 && local.minute < 1080).toBe(true);
          } else {
            expect(openPeriodAt(weekdays, zone, result.at)).toBeDefined();
          }
        }
      }
    }
  });
});
