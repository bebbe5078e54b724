import pLimit from 'p-limit';
import type { AnswerRepository } from '../adapters/answer-repository';
import type { CaseRepository } from '../adapters/case-repository';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { StoreRepository } from '../adapters/store-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { TaskQueue } from '../adapters/task-queue';
import { DIGEST_LOCAL_HOUR, localDateHour } from '../domain/follow-up';
import { DUE_SHARDS, provisionalNextSurveyAt } from '../domain/schedule';
import type { FollowUpTask } from '../schemas/answer';
import type { InvitationTask } from '../schemas/survey';

export interface ScheduleDeps {
  readonly customers: Pick<CustomerRepository, 'queryDue' | 'advanceSchedule'>;
  readonly surveys: Pick<SurveyRepository, 'queryRemindersDue' | 'takeReminder'>;
  readonly answers: Pick<AnswerRepository, 'queryUncounted'>;
  readonly invitations: Pick<TaskQueue, 'sendAll'>;
  readonly answersQueue: Pick<TaskQueue, 'sendAll'>;
  readonly cases: Pick<CaseRepository, 'queryToEscalate' | 'takeEscalation'>;
  readonly followUps: Pick<TaskQueue, 'sendAll'>;
  readonly stores: Pick<StoreRepository, 'listAll' | 'claimDigest'>;
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

/** Queues one invitation task per customer whose survey is due by `now`, and moves their due date on. */
export const scheduleInvitations = (
  deps: ScheduleDeps,
  now: Date,
  { pageSize = 500, maxPerShard = 5_000 }: ScheduleLimits = {},
) =>
  walkDue(
    (shard, startKey) => deps.customers.queryDue(shard, now.toISOString(), pageSize, startKey),
    (due) =>
      deps.invitations.sendAll(
        due.map(
          (customer): InvitationTask => ({
            kind: 'invitation',
            customerId: customer.customerId,
            cycleAt: customer.nextSurveyAt,
            scheduledAt: now.toISOString(),
          }),
        ),
      ),
    (customer) =>
      deps.customers.advanceSchedule(
        customer.customerId,
        customer.nextSurveyAt,
        provisionalNextSurveyAt(new Date(customer.nextSurveyAt), now).toISOString(),
      ),
    maxPerShard,
  );

/** Queues the one reminder of every unanswered survey whose reminder is due by `now`. */
export const scheduleReminders = (
  deps: ScheduleDeps,
  now: Date,
  { pageSize = 500, maxPerShard = 5_000 }: ScheduleLimits = {},
) =>
  walkDue(
    (shard, startKey) => deps.surveys.queryRemindersDue(shard, now.toISOString(), pageSize, startKey),
    (due) =>
      deps.invitations.sendAll(
        due.map(
          (survey): InvitationTask => ({
            kind: 'reminder',
            token: survey.token,
            scheduledAt: now.toISOString(),
          }),
        ),
      ),
    (survey) => deps.surveys.takeReminder(survey.token, survey.reminderDueAt),
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
  const [invitations, reminders, recounts, [escalations, digests]] = await Promise.all([
    scheduleInvitations(deps, now, limits),
    scheduleReminders(deps, now, limits),
    requeueUncounted(deps, now, limits),
    followUps(),
  ]);
  return { invitations, reminders, recounts, escalations, digests };
};
