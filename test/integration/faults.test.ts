import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCustomerRepository } from '../../functions/adapters/customer-repository';
import { createDocumentClient } from '../../functions/adapters/dynamodb';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { createTaskQueue } from '../../functions/adapters/task-queue';
import { addDays, DUE_SHARDS } from '../../functions/domain/schedule';
import type { FollowUpTask } from '../../functions/schemas/answer';
import type { InvitationTask } from '../../functions/schemas/survey';
import { registryTables } from '../../functions/shared/config';
import { runTick, type ScheduleDeps } from '../../functions/use-cases/schedule-surveys';
import { scheduleDeps } from '../../functions/wiring/tick';
import { startApiServer } from '../../local/api-server';
import { freePort, type RunningEmulator } from '../../local/emulators/ports';
import { startSesEmulator } from '../../local/emulators/ses-local';
import {
  dynamoDbErrorOf,
  dynamoDbServerError,
  dynamoDbThrottle,
  dynamoDbTransactionConflict,
  isDynamoDbApi,
  operationOf,
  seededRandom,
  sesFailure,
  sesThrottle,
  sqsFailure,
} from '../support/aws-faults';
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from '../support/fault-proxy';
import {
  checkPipeline,
  figure,
  kindOf,
  type PipelineReport,
  storedEmails,
  tokenOf,
} from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { lambdaFleet } from '../support/lambda-fleet';
import { eventually, localEnv } from '../support/local-stack';
import { takeFollowUpTasks } from '../support/queue-tasks';
import { answerTraffic, seedRegistry, type TrafficResult } from '../support/traffic';

/**
 * The pipeline under injected faults: SES throttling, failing and restarting; DynamoDB throttling,
 * conflicting transactions and a short outage; writes failing between two steps (as a crash would
 * leave them); follow-up hand-offs refused by SQS; every follow-up task delivered twice, out of order.
 * The functions reach SES, DynamoDB and SQS through fault-injecting proxies; the test reads and ticks
 * with its own clients, straight to the emulators. Afterwards, the invariants of the load test hold:
 * the system may be late, never wrong.
 */
const customerCount = 200;
const storeCount = 4;
const startedAt = Date.now();

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let ses: RunningEmulator;
let sesProxy: FaultProxy;
let dynamodbProxy: FaultProxy;
let sqsProxy: FaultProxy;
let customers: Map<string, string>;
let traffic: TrafficResult;
let report: PipelineReport;
const ticks: Record<string, Awaited<ReturnType<typeof runTick>>> = {};

let faultsOn = false;
const random = seededRandom(20_261_231);
/** A stable share of keys: the same customers, cases and surveys are picked on every run. */
const picked = (key: string, share: number) =>
  createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32 < share;

const requests = { dynamodb: 0, ses: 0, sqs: 0, invitationTasks: 0, followUpTasks: 0 };
const injected = {
  sesThrottles: 0,
  sesFailures: 0,
  sesRestartRefused: 0,
  dynamodbThrottles: 0,
  dynamodbThrottlesOutlastingRetries: 0,
  storeReadsThrottled: 0,
  idempotencyResultWritesRefused: 0,
  transactionConflicts: 0,
  tickCrashes: 0,
  senderCrashes: 0,
  followUpCrashes: 0,
  handOffsRefused: 0,
  dynamodbOutageMs: 0,
  followUpTasksReordered: 0,
};
const natural = { conditionFailures: 0 };
let sesAccepted = 0;
let answerWrites = 0;
const phases: string[] = [];
let phaseStart = Date.now();
const phase = (name: string) => {
  phases.push(`${name} ${Math.round((Date.now() - phaseStart) / 1_000)} s`);
  phaseStart = Date.now();
};
let givenUp = 0;
// The consumers log every failure they retry; under faults that is a lot, so it is counted, not shown.
const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);

const sesBursts = new Map<string, number>();
/** SES: 8% of sends throttled, 4% failed, and a few recipients refused four times in a row. */
const sesFault = (request: ProxiedRequest) => {
  if (!request.path.startsWith('/v2/email/outbound-emails')) return undefined;
  requests.ses++;
  if (!faultsOn) return undefined;
  const to = /"ToAddresses":\["([^"]+)"/.exec(request.body)?.[1] ?? '';
  if (picked(`ses:${to}`, 0.05)) {
    const seen = (sesBursts.get(to) ?? 0) + 1;
    sesBursts.set(to, seen);
    if (seen <= 4) {
      injected.sesThrottles++;
      return sesThrottle();
    }
  }
  const draw = random();
  if (draw < 0.08) {
    injected.sesThrottles++;
    return sesThrottle();
  }
  if (draw < 0.12) {
    injected.sesFailures++;
    return sesFailure();
  }
  return undefined;
};

/**
 * The second write of a two-write step fails more often than the SDK tries, as a crash between
 * the two would leave it: the sender's customer history after the survey was marked sent, and the
 * follow-up's `alertedAt` after the alert went out.
 */
const crashPoint = (operation: string, body: string) => {
  if (operation !== 'UpdateItem') return undefined;
  const key = (JSON.parse(body) as { Key?: Record<string, { S?: string }> }).Key ?? {};
  if (body.includes('lastCycleAt = :cycleAt')) {
    const customerId = key.customerId?.S ?? '';
    return { key: `sender:${customerId}`, chosen: picked(`sender:${customerId}`, 0.1), where: 'sender' };
  }
  if (body.includes('alertedAt = if_not_exists')) {
    const caseId = key.caseId?.S ?? '';
    return { key: `alert:${caseId}`, chosen: picked(`alert:${caseId}`, 0.25), where: 'followUp' };
  }
  return undefined;
};
/** Refusals in a row that outlast the SDK's own attempts (DynamoDB's client tries 4 times). */
const outlasting = 5;
const crashesLeft = new Map<string, number>();
const throttleBursts = new Map<string, number>();
const conflictsLeft = new Map<string, number>();
let storeThrottledSince: number | undefined;
const resultWritesLeft = new Map<string, number>();
const resultWritesRefused = new Set<string>();

/** Which item of a transaction is the everyone-aggregate (the hot item that conflicts). */
const hotItemOf = (body: string) => {
  const items = (JSON.parse(body) as { TransactItems?: { Update?: { Key?: { scope?: { S?: string } } } }[] })
    .TransactItems;
  return Math.max(
    0,
    (items ?? []).findIndex((item) => item.Update?.Key?.scope?.S === 'all'),
  );
};

/**
 * DynamoDB: 2% of requests throttled once (the SDK retries), 0.2% throttled five times in a row
 * (the SDK gives up), one store's reads throttled for a few seconds, one transaction in five
 * cancelled by a conflict on the hot aggregate (a few of them six times in a row, as under sustained
 * contention), and the crashes above.
 */
const dynamodbFault = (request: ProxiedRequest) => {
  if (!isDynamoDbApi(request)) return undefined;
  requests.dynamodb++;
  if (!faultsOn) return undefined;
  const operation = operationOf(request);
  const crash = crashPoint(operation, request.body);
  if (crash?.chosen) {
    const left = crashesLeft.get(crash.key) ?? outlasting;
    crashesLeft.set(crash.key, Math.max(0, left - 1));
    if (left > 0) {
      if (left === outlasting && crash.where === 'sender') injected.senderCrashes++;
      if (left === outlasting && crash.where === 'followUp') injected.followUpCrashes++;
      return dynamoDbServerError();
    }
  }
  if (operation === 'GetItem' && request.body.includes('"S1"') && /-Stores"/.test(request.body)) {
    // Store S1's partition is throttled for the first four seconds of sending: the first reads of it
    // (one per sender environment) outlast the SDK's retries.
    storeThrottledSince ??= Date.now();
    if (Date.now() - storeThrottledSince < 4_000) {
      injected.storeReadsThrottled++;
      return dynamoDbThrottle();
    }
  }
  if (
    operation === 'UpdateItem' &&
    /-Idempotency"/.test(request.body) &&
    request.body.includes('COMPLETED')
  ) {
    // Recording that the first two invitations went out outlasts the SDK's retries.
    const invitation = request.body.includes('"token":{"S"');
    const left =
      resultWritesLeft.get(request.body) ?? (invitation && resultWritesRefused.size < 2 ? outlasting : 0);
    resultWritesLeft.set(request.body, Math.max(0, left - 1));
    if (left > 0) {
      resultWritesRefused.add(request.body);
      injected.idempotencyResultWritesRefused++;
      return dynamoDbThrottle();
    }
  }
  const burst = throttleBursts.get(request.body) ?? 0;
  if (burst > 0) {
    throttleBursts.set(request.body, burst - 1);
    injected.dynamodbThrottles++;
    return dynamoDbThrottle();
  }
  if (operation === 'TransactWriteItems') {
    // The same transaction retried (with a new client token) meets the same contention.
    const transaction = request.body.replace(/"ClientRequestToken":"[^"]*",?/, '');
    let left = conflictsLeft.get(transaction);
    if (left === undefined) {
      const draw = random();
      left = draw < 0.03 ? 6 : draw < 0.08 ? 3 : draw < 0.2 ? 1 : 0;
    }
    conflictsLeft.set(transaction, Math.max(0, left - 1));
    if (left > 0) {
      injected.transactionConflicts++;
      return dynamoDbTransactionConflict(request, hotItemOf(request.body));
    }
  }
  const draw = random();
  if (draw < 0.002) {
    throttleBursts.set(request.body, outlasting - 1);
    injected.dynamodbThrottles++;
    injected.dynamodbThrottlesOutlastingRetries++;
    return dynamoDbThrottle();
  }
  if (draw < 0.024) {
    injected.dynamodbThrottles++;
    return dynamoDbThrottle();
  }
  return undefined;
};

/**
 * SQS: the hand-offs of the first two detractor surveys are refused for as long as the faults last,
 * longer than the stream's retries: those answers are counted in the end only through the tick.
 */
const refusedHandOffs = new Set<string>();
const sqsFault = (request: ProxiedRequest) => {
  requests.sqs++;
  if (!faultsOn || operationOf(request) !== 'SendMessageBatch') return undefined;
  const { QueueUrl, Entries = [] } = JSON.parse(request.body) as {
    QueueUrl: string;
    Entries?: { MessageBody: string }[];
  };
  if (QueueUrl !== stack.env.FOLLOWUPS_QUEUE_URL) return undefined;
  const refused = Entries.map((entry) => JSON.parse(entry.MessageBody) as FollowUpTask).some((task) => {
    if (task.kind !== 'detractor') return false;
    if (refusedHandOffs.size < 2) refusedHandOffs.add(task.surveyId);
    return refusedHandOffs.has(task.surveyId);
  });
  if (!refused) return undefined;
  injected.handOffsRefused++;
  return sqsFailure();
};

/** An outage lasts this long: it is the fault itself, not a wait for a result. */
const outage = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Restarts the SES emulator once a third of the invitations went out: down for two seconds, and
 * until it refused a few sends (the senders may be waiting out a backoff when it goes).
 */
const restartSesMidRun = async (port: number) => {
  await eventually(async () => sesAccepted >= customerCount / 3, 120_000);
  const refusedBefore = sesProxy.upstreamErrors;
  await ses.stop();
  await outage(2_000);
  await eventually(async () => sesProxy.upstreamErrors - refusedBefore >= 3, 60_000);
  ses = await startSesEmulator({ port });
  injected.sesRestartRefused = sesProxy.upstreamErrors - refusedBefore;
};

/** Takes DynamoDB away for two seconds once 40% of the answers were written. */
const dynamodbOutageMidRun = async (expectedAnswers: number) => {
  await eventually(async () => answerWrites >= expectedAnswers * 0.4, 120_000);
  const downAt = Date.now();
  await dynamodbProxy.down();
  await outage(2_000);
  await dynamodbProxy.up();
  injected.dynamodbOutageMs = Date.now() - downAt;
};

const shuffled = <T>(items: readonly T[]) => {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
};

beforeAll(async () => {
  const base = localEnv();
  const sesPort = await freePort();
  ses = await startSesEmulator({ port: sesPort });
  sesProxy = await startFaultProxy(ses.endpoint, {
    decide: sesFault,
    observe: (request, response) => {
      if (request.path.startsWith('/v2/email/outbound-emails') && response.status === 200) sesAccepted++;
    },
  });
  sqsProxy = await startFaultProxy(base.AWS_ENDPOINT_URL_SQS ?? '', { decide: sqsFault });
  stack = await startIsolatedStack(
    'faults',
    async (endpoints) => {
      dynamodbProxy = await startFaultProxy(endpoints.dynamodb, {
        decide: dynamodbFault,
        observe: (request, response) => {
          const error = dynamoDbErrorOf(response);
          if (error === 'ConditionalCheckFailedException') natural.conditionFailures++;
          if (error === undefined && request.body.includes('answerKey = :key')) answerWrites++;
        },
      });
      return {
        AWS_ENDPOINT_URL_SESV2: sesProxy.url,
        AWS_ENDPOINT_URL_DYNAMODB: dynamodbProxy.url,
        AWS_ENDPOINT_URL_SQS: sqsProxy.url,
        RETRY_BASE_SECONDS: '1',
      };
    },
    { ownDynamoDb: true },
  );
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  const invitations = lambdaFleet('send-invitations', stack.env.INVITATIONS_QUEUE_URL, 4);
  const followUps = lambdaFleet('follow-ups', stack.env.FOLLOWUPS_QUEUE_URL, 2);
  // Each alert is also handed to the chat function (no channel here: it posts nothing).
  const chatPosts = lambdaFleet('chat-posts', stack.env.CHAT_POSTS_QUEUE_URL, 1);

  // The test itself reads, imports and ticks straight against the emulators.
  const db = createDocumentClient({ endpoint: stack.dynamodbEndpoint });
  const tables = registryTables(stack.env);
  const direct = {
    customers: createCustomerRepository(db, tables),
    stores: createStoreRepository(db, tables.stores),
  };
  const schedule = scheduleDeps(db, stack.sqs, stack.env);
  customers = await seedRegistry(direct, `${stack.namespace}.example.com`, { customerCount, storeCount });
  const cycle = await direct.customers.getMany([...customers.keys()]);
  const now = addDays(new Date(), 30);

  // The tick crashes after queueing the invitations and before moving some due dates on; run again,
  // it queues those customers a second time. And some tasks are delivered twice.
  const crashingTick: ScheduleDeps = {
    ...schedule,
    customers: {
      queryDue: schedule.customers.queryDue,
      getMany: schedule.customers.getMany,
      advanceSchedule: async (customerId, seen, next) => {
        if (picked(`tick:${customerId}`, 0.1)) {
          injected.tickCrashes++;
          throw new Error('the tick crashed (injected)');
        }
        return schedule.customers.advanceSchedule(customerId, seen, next);
      },
    },
  };
  const crashed = await runTick(crashingTick, now).catch((error: Error) => error);
  expect(crashed).toBeInstanceOf(Error);
  // The crashed run's other writes finish; then only the customers it crashed on are still due.
  const stillDue = async () => {
    const pages = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        schedule.customers.queryDue(String(shard), now.toISOString(), 500),
      ),
    );
    return pages.reduce((total, page) => total + page.due.length, 0);
  };
  await eventually(async () => (await stillDue()) === injected.tickCrashes);
  const rerun = await runTick(schedule, now);
  const redelivered: InvitationTask[] = [...cycle.values()]
    .filter((customer) => picked(`redelivered:${customer.customerId}`, 0.1))
    .map((customer) => ({
      kind: 'invitation',
      customerId: customer.customerId,
      cycleAt: customer.nextSurveyAt ?? '',
      scheduledAt: now.toISOString(),
    }));
  await createTaskQueue(stack.sqs, stack.env.INVITATIONS_QUEUE_URL ?? '').sendAll(redelivered);
  requests.invitationTasks = customerCount + rerun.invitations + redelivered.length;
  phase('import and ticks');

  // Invitations go out under SES and DynamoDB faults, and the SES emulator restarts meanwhile.
  faultsOn = true;
  await Promise.all([invitations.drain(), restartSesMidRun(sesPort)]);
  ticks.sameInstant = await runTick(schedule, now);
  await invitations.drain();
  phase('invitations');

  // Customers answer (retrying 5xx, as the page does) while counting runs under faults, and
  // DynamoDB goes away for a moment. The follow-up tasks are then delivered twice each, shuffled.
  const tokens = (await storedEmails(ses.endpoint))
    .filter((email) => kindOf(email) === 'invitation')
    .map(tokenOf);
  stack.consumers.answerStream.start();
  try {
    [traffic] = await Promise.all([
      answerTraffic(api.url, tokens, { seed: 7_919, concurrency: 16, retryServerErrors: true }),
      dynamodbOutageMidRun(tokens.length * 0.85),
    ]);
  } finally {
    phase('answers');
    await stack.consumers.stop();
  }
  await stack.consumers.answerStream.drain(180_000);
  phase('counting');
  const followUpTasks = await takeFollowUpTasks(stack.sqs, stack.env.FOLLOWUPS_QUEUE_URL);
  const redeliveries = shuffled([...followUpTasks, ...followUpTasks]);
  await createTaskQueue(stack.sqs, stack.env.FOLLOWUPS_QUEUE_URL ?? '').sendAll(redeliveries);
  injected.followUpTasksReordered = redeliveries.length;
  await followUps.drain();
  phase('follow-ups');

  // The faults end. The next ticks recount what counting gave up on, hand off what was refused,
  // escalate every case, and invite nobody again.
  faultsOn = false;
  ticks.recovery = await runTick(schedule, now);
  await stack.consumers.answers.drain();
  await stack.consumers.answerStream.drain();
  await followUps.drain();
  ticks.dayLater = await runTick(schedule, addDays(now, 1));
  await Promise.all([followUps.drain(), invitations.drain(), stack.consumers.answers.drain()]);
  await chatPosts.drain();
  await stack.consumers.answerStream.drain();
  phase('recovery');
  requests.followUpTasks = followUpTasks.length + redeliveries.length;
  givenUp = errors.mock.calls.filter((call) => String(call[0]).includes('gave up on stream records')).length;

  report = await checkPipeline(
    { db, sqs: stack.sqs, env: stack.env, emails: await storedEmails(ses.endpoint) },
    { customers, answers: traffic.acknowledged, escalated: true, streamBatchesGivenUp: givenUp },
  );
}, 300_000);

afterAll(async () => {
  faultsOn = false;
  await stack?.stop();
  await api?.stop();
  await Promise.all([sesProxy?.stop(), dynamodbProxy?.stop(), sqsProxy?.stop(), ses?.stop()]);
  const logged = errors.mock.calls.length;
  errors.mockRestore();
  if (report === undefined || traffic === undefined) return;
  const crashes = injected.tickCrashes + injected.senderCrashes + injected.followUpCrashes;
  const faults =
    injected.sesThrottles +
    injected.sesFailures +
    injected.sesRestartRefused +
    injected.dynamodbThrottles +
    injected.storeReadsThrottled +
    injected.idempotencyResultWritesRefused +
    injected.transactionConflicts +
    crashes +
    injected.handOffsRefused +
    injected.followUpTasksReordered;
  const sent =
    requests.dynamodb +
    requests.ses +
    requests.sqs +
    requests.invitationTasks +
    requests.followUpTasks +
    traffic.requests;
  const faultFigures = [
    `ses 429: ${figure(injected.sesThrottles)}`,
    `ses 500: ${figure(injected.sesFailures)}`,
    `ses restart: ${figure(injected.sesRestartRefused)} sends refused`,
    `dynamodb throttles: ${figure(injected.dynamodbThrottles)} (${figure(injected.dynamodbThrottlesOutlastingRetries)} outlasting the SDK's retries)`,
    `throttled store reads: ${figure(injected.storeReadsThrottled)}`,
    `refused writes of a sent invitation's idempotency record: ${figure(injected.idempotencyResultWritesRefused)}`,
    `transaction conflicts: ${figure(injected.transactionConflicts)}`,
    `crashes between two writes: ${figure(crashes)} (tick ${injected.tickCrashes}, sender ${injected.senderCrashes}, follow-up ${injected.followUpCrashes})`,
    `hand-offs refused by SQS: ${figure(injected.handOffsRefused)} (${refusedHandOffs.size} surveys)`,
    `dynamodb outage: ${(injected.dynamodbOutageMs / 1_000).toFixed(1)} s`,
    `follow-up tasks duplicated and reordered: ${figure(injected.followUpTasksReordered)}`,
  ];
  console.log(
    [
      `faults: ${figure(sent)} requests (${figure(traffic.requests)} HTTP, ${figure(requests.dynamodb)} DynamoDB, ` +
        `${figure(requests.ses)} SES, ${figure(requests.sqs)} SQS, ${figure(requests.invitationTasks)} invitation ` +
        `and ${figure(requests.followUpTasks)} follow-up tasks)`,
      `${figure(faults)} faults injected (${faultFigures.join(', ')})`,
      `natural condition failures: ${figure(natural.conditionFailures)}, API 5xx retried: ${figure(traffic.serverErrors)} ` +
        `(${Object.entries(traffic.serverErrorsByStatus)
          .map(([status, count]) => `${status}: ${figure(count)}`)
          .join(', ')}), ` +
        `consumer failures logged: ${figure(logged)}, stream batches given up and recounted through the tick: ${givenUp}`,
      `${report.checks.length + 1} invariants checked on ${figure(report.checked)} items, ${figure(report.lost)} lost, ` +
        `${figure(report.doubled)} doubled, ${figure(report.deadLetters)} in DLQs`,
      `${Math.round((Date.now() - startedAt) / 1_000)} s (${phases.join(', ')})`,
    ].join('; '),
  );
});

describe('the pipeline under faults', () => {
  it('was really given every kind of fault', () => {
    const missing = Object.entries(injected).filter(([, count]) => count === 0);
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('takes every answer in the end, asking customers to retry (503) rather than failing (500)', () => {
    expect(traffic.unanswered).toBe(0);
    expect(traffic.serverErrors).toBeGreaterThan(0);
    expect(Object.keys(traffic.serverErrorsByStatus).filter((status) => status !== '503')).toEqual([]);
    expect(traffic.acknowledged.size).toBeGreaterThan(customerCount * 0.75);
  });

  it('invites nobody twice', () => {
    expect([
      ticks.sameInstant?.invitations,
      ticks.recovery?.invitations,
      ticks.dayLater?.invitations,
    ]).toEqual([0, 0, 0]);
  });

  it('keeps every invariant afterwards: late, never wrong', () => {
    expect(report.problems).toEqual([]);
    expect(report.lost + report.doubled + report.deadLetters).toBe(0);
  });
});
