/**
 * Send windows: the local days and hours in which customers may be mailed. Pure rules, no clock of
 * their own (every function takes the instant); zone arithmetic through the built-in `Intl`.
 */
/** Days of the week as `Date.getUTCDay` numbers them: 0 is Sunday. */
const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export interface SendWindow {
  /** The local days the window opens, 0 (Sunday) to 6 (Saturday). */
  readonly days: readonly number[];
  /** Local opening time, in minutes after midnight. */
  readonly startMinute: number;
  /** Local closing time, in minutes after midnight (1440 for midnight at the day's end); after the start. */
  readonly endMinute: number;
}

/** The window when none is configured: weekdays, 09:00 to 18:00 local time. */
export const DEFAULT_SEND_WINDOW_TEXT = 'Mon-Fri 09:00-18:00';

/** How often the scheduler runs (the tick): a slot lies at least this long before its window closes. */
export const TICK_MINUTES = 60;

const MINUTE_MS = 60_000;

const dayIndex = (name: string): number => {
  const index = dayNames.findIndex((day) => day.toLowerCase() === name.trim().toLowerCase().slice(0, 3));
  if (index < 0 || name.trim().length < 3) throw new Error(`unknown day "${name.trim()}" (use Mon … Sun)`);
  return index;
};

const minuteOf = (time: string): number => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (match === null || minutes > 59 || hours > 24 || (hours === 24 && minutes > 0))
    throw new Error(`"${time.trim()}" is not a time of day (use HH:MM, 00:00 to 24:00)`);
  return hours * 60 + minutes;
};

/**
 * Reads a window written as days then hours: `Mon-Fri 09:00-18:00`, `Mon,Wed,Sat 10:00-16:30`,
 * `Mon-Sun 00:00-24:00` (always open). Day ranges may wrap (`Fri-Mon`). A window does not cross
 * midnight: its end is after its start. Throws an Error saying what is wrong.
 */
export const parseSendWindow = (text: string): SendWindow => {
  const match = /^\s*(\S+)\s+(\S+?)\s*-\s*(\S+)\s*$/.exec(text);
  if (match === null)
    throw new Error(`send window "${text}" must read like "${DEFAULT_SEND_WINDOW_TEXT}" (days, then hours)`);
  const [, daysText = '', startText = '', endText = ''] = match;
  const days = new Set<number>();
  try {
    for (const part of daysText.split(',')) {
      const [from = '', to] = part.split('-');
      const first = dayIndex(from);
      const last = to === undefined ? first : dayIndex(to);
      for (let day = first; ; day = (day + 1) % 7) {
        days.add(day);
        if (day === last) break;
      }
    }
    const startMinute = minuteOf(startText);
    const endMinute = minuteOf(endText);
    if (endMinute <= startMinute) throw new Error('its end must be after its start (no crossing midnight)');
    return { days: [...days].sort((a, b) => a - b), startMinute, endMinute };
  } catch (error) {
    throw new Error(`send window "${text.trim()}": ${(error as Error).message}`);
  }
};

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The window as `parseSendWindow` reads it (days listed one by one). */
export const formatSendWindow = (window: SendWindow): string =>
  `${window.days.map((day) => dayNames[day]).join(',')} ${clock(window.startMinute)}-${clock(window.endMinute)}`;

/** True when the window never closes: every day, from midnight to midnight. */
export const isAlwaysOpen = (window: SendWindow): boolean =>
  window.days.length === 7 && window.startMinute === 0 && window.endMinute === 1440;

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** The wall-clock time in `timeZone` at `instant`, written as if it were UTC (milliseconds). */
const wallClockOf = (instant: number, timeZone: string): number => {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
};

/** The local date (at UTC midnight), weekday and minute of the day of `instant` in `timeZone`. */
export const localTimeOf = (instant: Date, timeZone: string) => {
  const wall = wallClockOf(instant.getTime() - (instant.getTime() % 1_000), timeZone);
  const date = new Date(wall - (wall % 86_400_000));
  return { date, weekday: date.getUTCDay(), minute: Math.floor((wall % 86_400_000) / MINUTE_MS) };
};

/**
 * The instant at which the wall clock in `timeZone` shows `minute` minutes after midnight of `date`
 * (a UTC midnight). A time skipped by a clock change (02:30 on a spring-forward night) maps to the
 * instant the same distance after the change; a repeated one to its first occurrence.
 */
export const zonedInstant = (date: Date, minute: number, timeZone: string): Date => {
  const wanted = date.getTime() + minute * MINUTE_MS;
  const offsetAt = (instant: number) => wallClockOf(instant, timeZone) - instant;
  const first = wanted - offsetAt(wanted);
  const second = wanted - offsetAt(first);
  if (wallClockOf(second, timeZone) === wanted) return new Date(Math.min(first, second));
  return new Date(Math.max(first, second));
};

export interface OpenPeriod {
  readonly start: Date;
  readonly end: Date;
}

/** The window's open periods that end after `from`, in order, starting with the local day of `from`. */
export function* openPeriods(window: SendWindow, timeZone: string, from: Date): Generator<OpenPeriod> {
  if (window.days.length === 0) return;
  const first = localTimeOf(from, timeZone).date.getTime();
  for (let day = 0; ; day++) {
    const date = new Date(first + day * 86_400_000);
    if (!window.days.includes(date.getUTCDay())) continue;
    const start = zonedInstant(date, window.startMinute, timeZone);
    const end = zonedInstant(date, window.endMinute, timeZone);
    if (end.getTime() > from.getTime()) yield { start, end };
  }
}

/** The open period `instant` lies in, if any. */
export const openPeriodAt = (window: SendWindow, timeZone: string, instant: Date): OpenPeriod | undefined => {
  // A period lies within one local day, so the first one ending after `instant` is the only candidate.
  const { value: period } = openPeriods(window, timeZone, instant).next();
  return period !== undefined && period.start.getTime() <= instant.getTime() ? period : undefined;
};

/**
 * A stable number in [0, 1) derived from a string: FNV-1a, then MurmurHash3's finaliser to spread the
 * bits (plain JavaScript, so the module also runs in the browser bundles that use the schemas).
 */
export const unitHash = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
};

/**
 * Where in an open period the item `key` goes: a stable share of the period, so a period's backlog is
 * spread evenly over it rather than sent at its opening. The share leaves the last `tickMinutes`
 * free, so that the scheduler run after the slot still falls inside the period.
 */
export const slotIn = (period: OpenPeriod, key: string, tickMinutes = TICK_MINUTES): Date => {
  const length = period.end.getTime() - period.start.getTime();
  const usable = Math.max(0, length - tickMinutes * MINUTE_MS);
  return new Date(period.start.getTime() + Math.floor(unitHash(`window:${key}`) * usable));
};

export type SendTiming =
  /** Send now; a send that has not happened by `sendBy` (the window's close) waits for the next window. */
  | { readonly send: 'now'; readonly sendBy?: Date }
  /** Not now: the item is due again at `at`, its slot in a coming open period. */
  | { readonly send: 'later'; readonly at: Date };

/**
 * When an item due at `dueAt` (an invitation or a reminder, identified by `key`) is sent, as of a
 * scheduler run at `now`, in a window of `timeZone`:
 * - while a period is open, an item that came due during it goes now (due times are already spread);
 * - one that came due before the period opened (the night's and weekend's backlog) goes at its slot
 *   in the period (`slotIn`): now if the slot has come, else later;
 * - outside the window, it goes at its slot in the next period.
 */
export const sendTiming = (
  window: SendWindow,
  timeZone: string,
  key: string,
  dueAt: Date,
  now: Date,
  tickMinutes = TICK_MINUTES,
): SendTiming => {
  if (isAlwaysOpen(window)) return { send: 'now' };
  const current = openPeriodAt(window, timeZone, now);
  if (current !== undefined) {
    if (dueAt.getTime() >= current.start.getTime()) return { send: 'now', sendBy: current.end };
    const slot = slotIn(current, key, tickMinutes);
    if (slot.getTime() <= now.getTime()) return { send: 'now', sendBy: current.end };
    return { send: 'later', at: slot };
  }
  const { value: next } = openPeriods(window, timeZone, now).next();
  if (next === undefined) throw new Error('a send window must open on at least one day');
  return { send: 'later', at: slotIn(next, key, tickMinutes) };
};
