import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { addDays } from '../../functions/domain/schedule';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { scheduleInvitations, scheduleReminders } from '../../functions/use-cases/schedule-surveys';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { sentEmails } from '../support/ses-store';

/** Stores in three zones on the chain's window, and one with a weekend window of its own. */
const stores = [
  { storeId: 'P', zone: 'Europe/Paris', window: undefined },
  { storeId: 'N', zone: 'America/New_York', window: undefined },
  { storeId: 'T', zone: 'Asia/Tokyo', window: undefined },
  { storeId: 'W', zone: 'Europe/London', window: 'Sat-Sun 10:00-14:00' },
] as const;
const perStore = 12;
const chainWindow = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: 9, to: 18 };
const weekendWindow = { days: ['Sat', 'Sun'], from: 10, to: 14 };

let stack: IsolatedStack;
let domain: string;
/** Every mail to the test's customers, with the simulated tick during which the SES emulator got it. */
const mails: { to: string; reminder: boolean; at: Date }[] = [];

const customerId = (store: string, n: number) => `${store}${n}`;
/** Every sixth customer of a store lives elsewhere, in a zone of their own. */
const ownZoneOf = (n: number) => (n % 6 === 5 ? 'America/Los_Angeles' : '');

/** The local weekday and hour of `at` in `zone`, by Intl alone (not the code under test). */
const localOf = (at: Date, zone: string) => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  return {
    weekday: parts.find((part) => part.type === 'weekday')?.value ?? '',
    hour: Number(parts.find((part) => part.type === 'hour')?.value),
  };
};

const recipientOf = (address: string) => {
  const id = address.split('@')[0]?.toUpperCase() ?? '';
  const store = stores.find((candidate) => candidate.storeId === id[0]);
  if (store === undefined) throw new Error(`unexpected recipient ${address}`);
  const own = ownZoneOf(Number(id.slice(1)));
  return { zone: own || store.zone, window: store.window === undefined ? chainWindow : weekendWindow };
};

beforeAll(async () => {
  stack = await startIsolatedStack('windows', {
    SEND_WINDOW: 'Mon-Fri 09:00-18:00',
    REMINDER_AFTER_DAYS: '2',
  });
  domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      [...storeCsvColumns, 'sendWindow'],
      ...stores.map((store) => [
        store.storeId,
        `Store ${store.storeId}`,
        `m-${store.storeId.toLowerCase()}@stores.example.com`,
        '',
        store.zone,
        store.window ?? '',
      ]),
    ]),
    { stores: stack.stores },
  );
  const rows = stores.flatMap((store) =>
    Array.from({ length: perStore }, (_, n) => {
      const id = customerId(store.storeId, n);
      return [id, `${id.toLowerCase()}@${domain}`, 'Sam', 'Doe', store.storeId, 'en', ownZoneOf(n)];
    }),
  );
  const imported = await importCustomers(recordsOf([[...customerCsvColumns, 'timezone'], ...rows]), {
    customers: stack.customers,
    stores: stack.stores,
  });
  expect(imported.created).toBe(stores.length * perStore);

  // Three weeks on, most first surveys are overdue; then a week of hourly ticks, each worked off. The
  // week starts on a Saturday, 00:07 UTC, when no chain store's window is open: a backlog found inside
  // an open window goes out at once, so a start at the time the suite runs made the spread depend on
  // the hour of the run.
  const start = addDays(new Date(), 21);
  start.setUTCDate(start.getUTCDate() + ((6 - start.getUTCDay() + 7) % 7));
  start.setUTCHours(0, 7, 0, 0);
  let seen = new Set((await sentEmails((to) => to.endsWith(`@${domain}`))).map((mail) => mail.messageId));
  for (let hour = 0; hour < 7 * 24; hour++) {
    const now = new Date(start.getTime() + hour * 3_600_000);
    // The tick's survey jobs (its other jobs, recounts, escalations and digests, have nothing to do here).
    const [invitations, reminders] = await Promise.all([
      scheduleInvitations(stack.schedule, now),
      scheduleReminders(stack.schedule, now),
    ]);
    if (invitations + reminders === 0) continue;
    await stack.consumers.invitations.drain();
    const all = await sentEmails((to) => to.endsWith(`@${domain}`));
    for (const mail of all.filter((candidate) => !seen.has(candidate.messageId)))
      mails.push({
        to: mail.destination.to[0] ?? '',
        reminder: mail.subject.startsWith('Reminder'),
        at: now,
      });
    seen = new Set(all.map((mail) => mail.messageId));
  }
}, 120_000);

afterAll(() => stack?.stop());

describe('importing zones and windows', () => {
  it('rejects, row by row, a customer’s unknown zone and a store’s window that does not read', async () => {
    const rejected: string[] = [];
    const onReject = (row: { line: number; reason: string }) =>
      rejected.push(`line ${row.line}: ${row.reason}`);
    await importStores(
      recordsOf([
        [...storeCsvColumns, 'sendWindow'],
        ['X1', 'Store X1', 'm@stores.example.com', '', 'Europe/Paris', 'Mon-Fri 20:00-08:00'],
      ]),
      { stores: stack.stores },
      { onReject },
    );
    await importCustomers(
      recordsOf([
        [...customerCsvColumns, 'timezone'],
        ['X1', `x1@${domain}`, 'Sam', 'Doe', 'P', 'en', 'Europe/Pariss'],
      ]),
      { customers: stack.customers, stores: stack.stores },
      { onReject },
    );
    expect(rejected).toEqual([
      'line 2: sendWindow: send window "Mon-Fri 20:00-08:00": its end must be after its start (no crossing midnight)',
      'line 2: timezone: must be an IANA time zone such as Europe/Paris',
    ]);
    expect(await stack.stores.get('X1')).toBeUndefined();
    expect(await stack.customers.get('X1')).toBeUndefined();
  });
});

describe('a simulated week of hourly ticks, with stores in three zones and send windows', () => {
  it('sends invitations and reminders', () => {
    expect(mails.filter((mail) => !mail.reminder).length).toBeGreaterThanOrEqual(
      stores.length * perStore * 0.7,
    );
    expect(mails.filter((mail) => mail.reminder).length).toBeGreaterThan(10);
  });

  it('sends nothing outside any store’s window, in the customer’s local time', () => {
    const outside = mails.filter((mail) => {
      const { zone, window } = recipientOf(mail.to);
      const local = localOf(mail.at, zone);
      return !window.days.includes(local.weekday) || local.hour < window.from || local.hour >= window.to;
    });
    expect(outside).toEqual([]);
  });

  it('follows the store’s own window, and the customer’s own zone', () => {
    const weekendStore = mails.filter((mail) => mail.to.startsWith('w'));
    expect(weekendStore.length).toBeGreaterThan(0);
    for (const mail of weekendStore) {
      const local = localOf(mail.at, recipientOf(mail.to).zone);
      expect(['Sat', 'Sun']).toContain(local.weekday);
      expect(local.hour >= 10 && local.hour < 14).toBe(true);
    }
    const ownZone = mails.filter(
      (mail) => !mail.to.startsWith('w') && ownZoneOf(Number(mail.to.split('@')[0]?.slice(1))) !== '',
    );
    expect(ownZone.length).toBeGreaterThan(0);
    for (const mail of ownZone) {
      const local = localOf(mail.at, 'America/Los_Angeles');
      expect(local.hour >= 9 && local.hour < 18).toBe(true);
    }
  });

  it('spreads the sends over the window’s hours, not in a burst at its opening', () => {
    const chainMails = mails.filter((mail) => !mail.to.startsWith('w'));
    const perHour = new Map<number, number>();
    for (const mail of chainMails) {
      const { hour } = localOf(mail.at, recipientOf(mail.to).zone);
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    expect(perHour.size).toBeGreaterThanOrEqual(7);
    expect(Math.max(...perHour.values())).toBeLessThan(chainMails.length * 0.3);
  });
});
