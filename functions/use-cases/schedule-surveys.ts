import pLimit from 'p-limit';
import type { AnswerRepository } from '../adapters/answer-repository';
import type { CaseRepository } from '../adapters/case-repository';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { ReminderSchedule } from '../adapters/reminder-schedule';
import type { StoreRepository } from '../adapters/store-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { TaskQueue } from '../adapters/task-queue';
import { DIGEST_LOCAL_HOUR, localDateHour } from '../domain/follow-up';
import { DUE_SHARDS, provisionalNextSurveyAt } from '../domain/schedule';
import {
  isAlwaysOpen,
  parseSendWindow,
  type SendTiming,
  type SendWindow,
  sendTiming,
} from '../domain/send-window';
import type { FollowUpTask } from '../schemas/answer';
import type { StoreRecord } from '../schemas/store';
import type { InvitationTask } from '../schemas/survey';

export interface ScheduleDeps {
  readonly customers: Pick<CustomerRepository, 'queryDue' | 'advanceSchedule' | 'getMany'>;
  readonly surveys: Pick<SurveyRepository, 'queryRemindersDue' | 'takeReminder'>;
  readonly reminderSchedule: ReminderSchedule;
  readonly answers: Pick<AnswerRepository, 'queryUncounted'>;
  readonly invitations: Pick<TaskQueue, 'sendAll'>;
  readonly answersQueue: Pick<TaskQueue, 'sendAll'>;
  readonly cases: Pick<CaseRepository, 'queryToEscalate' | 'takeEscalation'>;
  readonly followUps: Pick<TaskQueue, 'sendAll'>;
  readonly stores: Pick<StoreRepository, 'listAll' | 'claimDigest'>;
  /** The chain's send window (`SEND_WINDOW`), for stores without one of their own. */
  readonly sendWindow: SendWindow;
}

/** An answer not counted this long after it was given lost its counting task; the tick queues it again. */
const COUNTING_GRACE_MS = 2 * 60_000;

export interface ScheduleLimits {
  /** Items read per query page. */
  readonly pageSize?: number;
  /** Most tasks one run queues per shard; the rest wait for the next run. */
  readonly maxPerShard?: number;
}

const shards = Array.from({ length: DUE_SHARDS }, (_, shard) => String(shard));

/**
 * Walks every shard of a sparse due index up to `now`, page by page, handing each page to `enqueue`
 * and then to `settle`. Reads only what is due: its cost follows the number due, not the table size.
 */
const walkDue = async <Item>(
  readPage: (
    shard: string,
    startKey?: Record<string, unknown>,
  ) => Promise<{ due: Item[]; nextKey?: Record<string, unknown> }>,
  enqueue: (items: Item[]) => Promise<void>,
  settle: (item: Item) => Promise<boolean>,
  maxPerShard: number,
): Promise<number> => {
  const writes = pLimit(16);
  let queued = 0;
  await Promise.all(
    shards.map(async (shard) => {
      let startKey: Record<string, unknown> | undefined;
      let shardQueued = 0;
      do {
        const page = await readPage(shard, startKey);
        if (page.due.length > 0) {
          // Queue first, then settle: a crash in between queues a task twice, which the sender
          // recognises; the other order could lose it.
          await enqueue(page.due);
          await Promise.all(page.due.map((item) => writes(() => settle(item))));
        }
        shardQueued += page.due.length;
        startKey = page.nextKey;
      } while (startKey !== undefined && shardQueued < maxPerShard);
      queued += shardQueued;
    }),
  );
  return queued;
};

/** Where a customer is mailed: a zone, and the window there. */
interface Audience {
  readonly timeZone: string;
  readonly window: SendWindow;
}

/**
 * The send window and zone of each store's customers, read once per run (stores are few): the store's
 * own window, or the chain's.
 */
const storeAudiences = (deps: ScheduleDeps) => {
  let audiences: Promise<{ byStore: Map<string, Audience>; alwaysOpen: boolean }> | undefined;
  const windowOf = (store: StoreRecord) => {
    try {
      return store.sendWindow === undefined ? deps.sendWindow : parseSendWindow(store.sendWindow);
    } catch {
      return deps.sendWindow;
    }
  };
  return () => {
    audiences ??= deps.stores.listAll().then((stores) => {
      const byStore = new Map(
        stores.map((store): [string, Audience] => [
          store.storeId,
          { timeZone: store.timezone, window: windowOf(store) },
        ]),
      );
      const windows = [deps.sendWindow, ...[...byStore.values()].map((audience) => audience.window)];
      return { byStore, alwaysOpen: windows.every(isAlwaysOpen) };
    });
    return audiences;
  };
};

type Audiences = ReturnType<typeof storeAudiences>;

/** Due items, each with when it is sent (`sendTiming`); an item whose store is unknown goes now. */
const timed = async <Item>(
  items: readonly Item[],
  audiences: Audiences,
  audienceOf: (stores: Map<string, Audience>) => (item: Item) => Audience | undefined,
  keyOf: (item: Item) => string,
  dueOf: (item: Item) => string,
  now: Date,
) => {
  const find = audienceOf((await audiences()).byStore);
  return items.map((item) => {
    const audience = find(item);
    const timing: SendTiming =
      audience === undefined
        ? { send: 'now' }
        : sendTiming(audience.window, audience.timeZone, keyOf(item), new Date(dueOf(item)), now);
    return { item, timing };
  });
};

/** Every item sent now: no window ever closes (no look-ups needed). */
const sendingAll = <Item>(items: readonly Item[]) =>
  items.map((item) => ({ item, timing: { send: 'now' } as SendTiming }));

/**
 * Walks a due index like `walkDue`, but sends only what its send window lets go now (each task
 * carrying the window's close as `sendBy`), and moves the rest to their slot in a coming window, where
 * a later run finds them.
 */
const walkDueInWindow = <Item>(
  readPage: Parameters<typeof walkDue<Item>>[0],
  timeAll: (items: Item[]) => Promise<Array<{ item: Item; timing: SendTiming }>>,
  enqueue: (items: Array<{ item: Item; sendBy?: string }>) => Promise<void>,
  settle: (item: Item) => Promise<boolean>,
  postpone: (item: Item, at: Date) => Promise<boolean>,
  maxPerShard: number,
) => {
  const sendBy = new Map<Item, string | undefined>();
  const writes = pLimit(16);
  return walkDue(
    async (shard, startKey) => {
      const page = await readPage(shard, startKey);
      const timings = page.due.length === 0 ? [] : await timeAll(page.due);
      const due: Item[] = [];
      const moves: Promise<boolean>[] = [];
      for (const { item, timing } of timings) {
        if (timing.send === 'now') {
          sendBy.set(item, timing.sendBy?.toISOString());
          due.push(item);
        } else moves.push(writes(() => postpone(item, timing.at)));
      }
      await Promise.all(moves);
      return { due, nextKey: page.nextKey };
    },
    (items) =>
      enqueue(items.map((item) => ({ item, ...(sendBy.get(item) && { sendBy: sendBy.get(item) }) }))),
    settle,
    maxPerShard,
  );
};

/**
 * Queues one invitation task per customer whose survey is due by `now` and whose send window lets it
 * go now, and moves their due date on; moves the others' due date to their slot in a coming window.
 */
export const scheduleInvitations = (
  deps: ScheduleDeps,
  now: Date,
  { pageSize = 500, maxPerShard = 5_000 }: ScheduleLimits = {},
  audiences: Audiences = storeAudiences(deps),
) =>
  walkDueInWindow(
    (shard, startKey) => deps.customers.queryDue(shard, now.toISOString(), pageSize, startKey),
    async (due) => {
      if ((await audiences()).alwaysOpen) return sendingAll(due);
      const customers = await deps.customers.getMany(due.map((customer) => customer.customerId));
      return timed(
        due,
        audiences,
        (stores) => (item) => {
          const customer = customers.get(item.customerId);
          const store = customer && stores.get(customer.storeId);
          return store && { window: store.window, timeZone: customer.timezone ?? store.timeZone };
        },
        (customer) => customer.customerId,
        (customer) => customer.nextSurveyAt,
        now,
      );
    },
    (due) =>
      deps.invitations.sendAll(
        due.map(
          ({ item: customer, sendBy }): InvitationTask => ({
            kind: 'invitation',
            customerId: customer.customerId,
            cycleAt: customer.nextSurveyAt,
            scheduledAt: now.toISOString(),
            ...(sendBy && { sendBy }),
          }),
        ),
      ),
    (customer) =>
      deps.customers.advanceSchedule(
        customer.customerId,
        customer.nextSurveyAt,
        provisionalNextSurveyAt(new Date(customer.nextSurveyAt), now).toISOString(),
      ),
    (customer, at) =>
      deps.customers.advanceSchedule(customer.customerId, customer.nextSurveyAt, at.toISOString()),
    maxPerShard,
  );

/**
 * Queues the one reminder of every unanswered survey whose reminder is due by `now` and whose send
 * window lets it go now; moves the others to their slot in a coming window.
 */
export const scheduleReminders = (
  deps: ScheduleDeps,
  now: Date,
  { pageSize = 500, maxPerShard = 5_000 }: ScheduleLimits = {},
  audiences: Audiences = storeAudiences(deps),
) =>
  walkDueInWindow(
    (shard, startKey) => deps.surveys.queryRemindersDue(shard, now.toISOString(), pageSize, startKey),
    async (due) => {
      if ((await audiences()).alwaysOpen) return sendingAll(due);
      const owners = await deps.reminderSchedule.ownersOf(due.map((survey) => survey.token));
      const customers = await deps.customers.getMany([
        ...new Set([...owners.values()].map((owner) => owner.customerId)),
      ]);
      return timed(
        due,
        audiences,
        (stores) => (item) => {
          const owner = owners.get(item.token);
          const store = owner && stores.get(owner.storeId);
          const zone = owner && customers.get(owner.customerId)?.timezone;
          return store && { window: store.window, timeZone: zone ?? store.timeZone };
        },
        (survey) => survey.token,
        (survey) => survey.reminderDueAt,
        now,
      );
    },
    (due) =>
      deps.invitations.sendAll(
        due.map(
          ({ item: survey, sendBy }): InvitationTask => ({
            kind: 'reminder',
            token: survey.token,
            scheduledAt: now.toISOString(),
            ...(sendBy && { sendBy }),
          }),
        ),
      ),
    (survey) => deps.surveys.takeReminder(survey.token, survey.reminderDueAt),
    (survey, at) =>
      deps.reminderSchedule.postponeReminder(survey.token, survey.reminderDueAt, at.toISOString()),
    maxPerShard,
  );

/** Queues again the answers whose counting task was lost (the answers queue's outbox sweep). */
export const requeueUncounted = (
  deps: ScheduleDeps,
  now: Date,
  { pageSize = 500, maxPerShard = 5_000 }: ScheduleLimits = {},
) => {
  const before = new Date(now.getTime() - COUNTING_GRACE_MS).toISOString();
  return walkDue(
    (shard, startKey) => deps.answers.queryUncounted(shard, before, pageSize, startKey),
    (due) => deps.answersQueue.sendAll(due.map((answer) => ({ token: answer.token }))),
    async () => true,
    maxPerShard,
  );
};

/** Queues the escalation of every open follow-up case past its due time (once per case). */
export const scheduleEscalations = (
  deps: ScheduleDeps,
  now: Date,
  { pageSize = 500, maxPerShard = 5_000 }: ScheduleLimits = {},
) =>
  walkDue(
    (shard, startKey) => deps.cases.queryToEscalate(shard, now.toISOString(), pageSize, startKey),
    (due) =>
      deps.followUps.sendAll(
        due.map(
          (caseRecord): FollowUpTask => ({
            kind: 'escalate',
            caseId: caseRecord.caseId,
            scheduledAt: now.toISOString(),
          }),
        ),
      ),
    (caseRecord) => deps.cases.takeEscalation(caseRecord.caseId),
    maxPerShard,
  );

/**
 * Queues each store's daily digest once its local time reaches 8:00, once per local day (the store
 * item remembers the last date claimed, so hourly runs queue it only once).
 */
export const scheduleDigests = async (deps: ScheduleDeps, now: Date): Promise<number> => {
  const tasks: FollowUpTask[] = [];
  for (const store of await deps.stores.listAll()) {
    const local = localDateHour(now, store.timezone);
    if (local.hour < DIGEST_LOCAL_HOUR) continue;
    tasks.push({ kind: 'digest', storeId: store.storeId, date: local.date });
  }
  const claimed: FollowUpTask[] = [];
  for (const task of tasks) {
    if (task.kind === 'digest' && (await deps.stores.claimDigest(task.storeId, task.date)))
      claimed.push(task);
  }
  await deps.followUps.sendAll(claimed);
  return claimed.length;
};

/** Every time-driven job, as of `now`: what the hourly schedule (and `closeloop tick`) runs. */
export const runTick = async (deps: ScheduleDeps, now: Date, limits?: ScheduleLimits) => {
  // Digests are queued after the escalations, so that a digest handled in order after them lists
  // the cases as escalated (the follow-up consumer handles a batch in order).
  const followUps = async () => {
    const escalations = await scheduleEscalations(deps, now, limits);
    return [escalations, await scheduleDigests(deps, now)] as const;
  };
  const audiences = storeAudiences(deps);
  const [invitations, reminders, recounts, [escalations, digests]] = await Promise.all([
    scheduleInvitations(deps, now, limits, audiences),
    scheduleReminders(deps, now, limits, audiences),
    requeueUncounted(deps, now, limits),
    followUps(),
  ]);
  return { invitations, reminders, recounts, escalations, digests };
};
