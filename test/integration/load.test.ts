import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTaskQueue } from '../../functions/adapters/task-queue';
import { addDays } from '../../functions/domain/schedule';
import type { InvitationTask } from '../../functions/schemas/survey';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
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
import { localEnv } from '../support/local-stack';
import { answerTraffic, seedRegistry, type TrafficResult } from '../support/traffic';

/**
 * A repeatable load test on the local stack (loopback only, bounded in count and time): 750
 * customers in 8 stores (`LOAD_CUSTOMERS=1500` for the README's figures) invited through the real
 * sender, answered over HTTP with concurrency, double clicks, changed answers and retries, their
 * detractors followed up, then every invariant checked.
 */
const customerCount = Number(process.env.LOAD_CUSTOMERS ?? 750);
const storeCount = 8;
const startedAt = Date.now();
const since = startedAt / 1_000 - 1;

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let domain: string;
let customers: Map<string, string>;
let traffic: TrafficResult;
let report: PipelineReport;
const ticks: Record<string, Awaited<ReturnType<typeof runTick>>> = {};
let invitationTasks = 0;
let givenUp = 0;
const phases: string[] = [];
let phaseStart = Date.now();
const phase = (name: string) => {
  phases.push(`${name} ${Math.round((Date.now() - phaseStart) / 1_000)} s`);
  phaseStart = Date.now();
};

const errors = vi.spyOn(console, 'error');

const mailOfRun = async () =>
  (await storedEmails(localEnv().AWS_ENDPOINT_URL_SESV2 ?? '', since)).filter((email) =>
    email.destination.to.some((address) => address.endsWith(`@${domain}`)),
  );

beforeAll(async () => {
  stack = await startIsolatedStack('load', { RETRY_BASE_SECONDS: '1' }, { ownDynamoDb: true });
  domain = `${stack.namespace}.example.com`;
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  // Several execution environments per queue, as Lambda scales out: they race for the same items.
  const invitations = lambdaFleet('send-invitations', stack.env.INVITATIONS_QUEUE_URL, 4);
  const followUps = lambdaFleet('follow-ups', stack.env.FOLLOWUPS_QUEUE_URL, 2);
  // Each alert is also handed to the chat function (no channel here: it posts nothing).
  const chatPosts = lambdaFleet('chat-posts', stack.env.CHAT_POSTS_QUEUE_URL, 1);
  customers = await seedRegistry(stack, domain, { customerCount, storeCount });
  phase('import');

  // Two ticks racing at the same instant, and a share of the tasks redelivered: duplicates to spare.
  const cycle = await stack.customers.getMany([...customers.keys()]);
  const now = addDays(new Date(), 30);
  const [first, second] = await Promise.all([runTick(stack.schedule, now), runTick(stack.schedule, now)]);
  const redelivered: InvitationTask[] = [...cycle.values()]
    .filter((_, index) => index % 20 === 0)
    .map((customer) => ({
      kind: 'invitation',
      customerId: customer.customerId,
      cycleAt: customer.nextSurveyAt ?? '',
      scheduledAt: now.toISOString(),
    }));
  await createTaskQueue(stack.sqs, stack.env.INVITATIONS_QUEUE_URL ?? '').sendAll(redelivered);
  invitationTasks = (first?.invitations ?? 0) + (second?.invitations ?? 0) + redelivered.length;
  await invitations.drain();
  ticks.sameInstant = await runTick(stack.schedule, now);
  await invitations.drain();
  phase('invitations');

  // Customers answer while the stream and follow-up consumers run, as in the cloud.
  const tokens = (await mailOfRun()).filter((email) => kindOf(email) === 'invitation').map(tokenOf);
  stack.consumers.answerStream.start();
  stack.consumers.followUps.start();
  try {
    traffic = await answerTraffic(api.url, tokens, { seed: 20_260_101, concurrency: 24 });
  } finally {
    phase('answers');
    await stack.consumers.stop();
  }
  await stack.consumers.answerStream.drain(180_000);
  await followUps.drain();
  phase('counting and follow-ups');

  // A day later: nobody is invited again; every case is overdue and escalated; digests go out.
  ticks.dayLater = await runTick(stack.schedule, addDays(now, 1));
  await Promise.all([followUps.drain(), invitations.drain(), stack.consumers.answers.drain()]);
  await chatPosts.drain();
  await stack.consumers.answerStream.drain();
  phase('escalations');
  givenUp = errors.mock.calls.filter((call) => String(call[0]).includes('gave up on stream records')).length;

  report = await checkPipeline(
    { db: stack.db, sqs: stack.sqs, env: stack.env, emails: await mailOfRun() },
    { customers, answers: traffic.acknowledged, escalated: true },
  );
  phase('checks');
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
  errors.mockRestore();
  if (report === undefined || traffic === undefined) return;
  const cases = report.checks.find((check) => check.name.startsWith('one alert'))?.checked ?? 0;
  console.log(
    `load: ${figure(customers.size)} invitations (${figure(invitationTasks)} tasks, ` +
      `${figure(invitationTasks - customers.size)} duplicates), ` +
      `${figure(traffic.requests)} answer requests (${figure(traffic.doubleClicks)} double clicks, ` +
      `${figure(traffic.duplicates)} duplicates recognised, ${figure(traffic.changes)} changes, ` +
      `${figure(traffic.retries)} retries, ${figure(traffic.scans)} scanned links, ${figure(traffic.refused)} refused, ` +
      `${figure(traffic.serverErrors)} 5xx), ${figure(traffic.acknowledged.size)} surveys answered, ` +
      `${figure(cases)} cases; ${report.checks.length + 1} invariants checked on ` +
      `${figure(report.checked)} items, ${figure(report.lost)} lost, ${figure(report.doubled)} doubled, ` +
      `${figure(report.deadLetters + givenUp)} in DLQs; ${Math.round((Date.now() - startedAt) / 1_000)} s (${phases.join(', ')})`,
  );
});

describe('the pipeline under load', () => {
  it('answers every request without a server error', () => {
    expect(traffic.serverErrors).toBe(0);
    expect(traffic.unanswered).toBe(0);
    expect(traffic.acknowledged.size).toBeGreaterThan(customerCount * 0.75);
    expect(traffic.duplicates).toBeGreaterThanOrEqual(traffic.doubleClicks + traffic.retries);
  });

  it('invites nobody again at the same instant, nor a day later', () => {
    expect(invitationTasks).toBeGreaterThan(customerCount);
    expect([ticks.sameInstant?.invitations, ticks.dayLater?.invitations]).toEqual([0, 0]);
    expect(ticks.dayLater?.escalations).toBeGreaterThan(0);
  });

  it('keeps every invariant: one invitation per due customer, stored answers = acknowledged ones, aggregates = recount, one case and one alert per detractor survey, nothing dead-lettered', () => {
    expect(report.problems).toEqual([]);
    expect(report.lost + report.doubled + report.deadLetters + givenUp).toBe(0);
  });
});
