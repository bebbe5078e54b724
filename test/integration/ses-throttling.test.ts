import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCustomerRepository } from '../../functions/adapters/customer-repository';
import { createDocumentClient } from '../../functions/adapters/dynamodb';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { addDays } from '../../functions/domain/schedule';
import { sendInvitations } from '../../functions/resources/manifests/workers';
import { registryTables } from '../../functions/shared/config';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { scheduleDeps } from '../../functions/wiring/tick';
import { startApiServer } from '../../local/api-server';
import { freePort, type RunningEmulator } from '../../local/emulators/ports';
import { startSesEmulator } from '../../local/emulators/ses-local';
import { operationOf } from '../support/aws-faults';
import { type FaultProxy, type ProxiedRequest, startFaultProxy } from '../support/fault-proxy';
import { figure, kindOf, storedEmails } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { lambdaFleet } from '../support/lambda-fleet';
import { eventually, localEnv } from '../support/local-stack';
import { type SesThrottle, startSesThrottle } from '../support/ses-throttle';
import { seedRegistry } from '../support/traffic';

/**
 * A backlog of invitations far above what SES takes at once: the account's rate is low (the proxy in
 * front of the SES emulator reports it through `GetAccount` and refuses every send above it, as SES
 * does), thousands of customers are due at one tick, and the sender runs as many environments as its
 * manifest's `maxConcurrency`. Meanwhile another application of the account sends a burst (so SES
 * throttles some invitations all the same), and a detractor answers: the store manager's alert must
 * go out within a minute, through the share of the rate the sender leaves. Nothing is dead-lettered;
 * every customer gets exactly one invitation.
 */
const customerCount = 1_200;
const storeCount = 4;
const maxSendRate = 20;
/** How long the other application's burst lasts: longer than the SDK's own retries of a throttled send. */
const burstMillis = 8_000;
const startedAt = Date.now();

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let ses: RunningEmulator;
let throttle: SesThrottle;
let sqsProxy: FaultProxy;
let domain: string;
const figures = {
  invitations: 0,
  recipientsTwice: 0,
  deadLettered: -1,
  throttledInvitations: 0,
  deferred: 0,
  mostDeferrals: 0,
  burstSent: 0,
  burstThrottled: 0,
  alertMillis: -1,
  alertedAt: Number.POSITIVE_INFINITY,
  lastInvitationAt: 0,
  sendingSeconds: 0,
  setupSeconds: 0,
  queuedAt: 0,
};
// The consumers log what they retry (the follow-ups' few throttled alerts); counted, not shown.
const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);

/**
 * Another application of the same account sends as fast as SES lets it for `burstMillis`, ignoring
 * refusals: meanwhile SES throttles invitations too, longer than the SDK's retries last.
 */
const otherApplicationBurst = async () => {
  const client = new SESv2Client({ endpoint: throttle.url, maxAttempts: 1 });
  const until = Date.now() + burstMillis;
  const sendUntilDone = async (worker: number) => {
    for (let index = 0; Date.now() < until; index++) {
      figures.burstSent++;
      await client
        .send(
          new SendEmailCommand({
            FromEmailAddress: 'news@other.example.com',
            Destination: { ToAddresses: [`reader${worker}.${index}@other.example.com`] },
            Content: { Simple: { Subject: { Data: 'News' }, Body: { Text: { Data: 'News.' } } } },
          }),
        )
        .catch(() => {
          figures.burstThrottled++;
        });
    }
  };
  await Promise.all(Array.from({ length: 20 }, (_, worker) => sendUntilDone(worker)));
  client.destroy();
};

/** Counts the invitation tasks the senders put back on the queue for lack of sending rate. */
const countDeferrals = (request: ProxiedRequest) => {
  if (operationOf(request) !== 'SendMessage') return;
  const { MessageBody = '' } = JSON.parse(request.body) as { MessageBody?: string };
  const deferrals = Number(/"deferrals":(\d+)/.exec(MessageBody)?.[1] ?? 0);
  if (deferrals === 0) return;
  figures.deferred++;
  figures.mostDeferrals = Math.max(figures.mostDeferrals, deferrals);
};

/** A customer of store S1 answers 2 once invited; resolves with the time until the manager's alert. */
const detractorAlertMillis = async () => {
  const invited = await eventually(
    async () =>
      throttle.accepted.length > customerCount / 4 &&
      throttle.accepted.find((send) => /^c\d*[02468]@/.test(send.to) && send.to.endsWith(domain)),
    120_000,
  );
  const customer = Number(/^c(\d+)@/.exec(invited.to)?.[1]);
  const storeId = `S${(customer % storeCount) + 1}`;
  const manager = `manager.${storeId.toLowerCase()}@${domain}`;
  const token = /\/s\/([A-Za-z0-9_-]{22})\?score=/.exec(invited.body)?.[1] ?? '';
  const comment = `Waited an hour (${invited.to})`;
  let alertedAt: number | undefined;
  const stop = throttle.onAccepted((send) => {
    if (send.to === manager && send.body.includes(comment)) alertedAt ??= send.at;
  });
  const answeredAt = Date.now();
  const response = await fetch(`${api.url}/s/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ score: 2, comment }),
  });
  expect(response.ok).toBe(true);
  try {
    const at = await eventually(async () => alertedAt, 90_000);
    figures.alertedAt = at;
    return at - answeredAt;
  } finally {
    stop();
  }
};

beforeAll(async () => {
  ses = await startSesEmulator({ port: await freePort() });
  throttle = await startSesThrottle(ses.endpoint, { maxSendRate });
  sqsProxy = await startFaultProxy(localEnv().AWS_ENDPOINT_URL_SQS ?? '', {
    observe: (request) => countDeferrals(request),
  });
  stack = await startIsolatedStack(
    'ses-throttling',
    { AWS_ENDPOINT_URL_SESV2: throttle.url, AWS_ENDPOINT_URL_SQS: sqsProxy.url, RETRY_BASE_SECONDS: '1' },
    { ownDynamoDb: true },
  );
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  domain = `${stack.namespace}.example.com`;
  const db = createDocumentClient({ endpoint: stack.dynamodbEndpoint });
  const tables = registryTables(stack.env);
  await seedRegistry(
    { customers: createCustomerRepository(db, tables), stores: createStoreRepository(db, tables.stores) },
    domain,
    { customerCount, storeCount },
  );
  const tick = await runTick(scheduleDeps(db, stack.sqs, stack.env), addDays(new Date(), 30));
  figures.queuedAt = tick.invitations;

  // As Lambda scales the event source mapping out: one environment per concurrent batch allowed.
  const senders = lambdaFleet(
    'send-invitations',
    stack.env.INVITATIONS_QUEUE_URL,
    sendInvitations.trigger.maxConcurrency,
  );
  stack.consumers.answerStream.start();
  stack.consumers.followUps.start();
  const sendingFrom = Date.now();
  figures.setupSeconds = (sendingFrom - startedAt) / 1_000;
  const burst = eventually(async () => throttle.accepted.length >= 100, 60_000).then(otherApplicationBurst);
  [, figures.alertMillis] = await Promise.all([senders.drain(360_000), detractorAlertMillis(), burst]);
  figures.sendingSeconds = (Date.now() - sendingFrom) / 1_000;
  figures.lastInvitationAt = Math.max(
    ...throttle.accepted
      .filter((send) => /^c\d+@/.test(send.to) && send.to.endsWith(domain))
      .map((send) => send.at),
  );

  const invitations = (await storedEmails(ses.endpoint)).filter(
    (email) => kindOf(email) === 'invitation' && email.destination.to.some((to) => to.endsWith(domain)),
  );
  const perRecipient = new Map<string, number>();
  for (const email of invitations)
    for (const to of email.destination.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
  figures.invitations = perRecipient.size;
  figures.recipientsTwice = [...perRecipient.values()].filter((count) => count > 1).length;
  const { Attributes } = await stack.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.env.INVITATIONS_DLQ_URL,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  figures.deadLettered = Number(Attributes?.ApproximateNumberOfMessages ?? -1);
  figures.throttledInvitations = [...throttle.throttledTo]
    .filter(([to]) => to.endsWith(domain))
    .reduce((total, [, count]) => total + count, 0);
}, 480_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
  await Promise.all([throttle?.stop(), sqsProxy?.stop(), ses?.stop()]);
  errors.mockRestore();
  console.log(
    [
      `ses throttling: ${figure(customerCount)} customers due at one tick (${figure(figures.queuedAt)} queued), ` +
        `SES at ${maxSendRate}/s, ${sendInvitations.trigger.maxConcurrency} sender environments`,
      `${figure(figures.invitations)} invited (${figures.recipientsTwice} twice) in ${figures.sendingSeconds.toFixed(0)} s ` +
        `(${(figures.invitations / figures.sendingSeconds).toFixed(1)}/s)`,
      `${figure(figures.deadLettered)} in the invitations DLQ`,
      `SES 429s: ${figure(throttle?.counts.throttled ?? 0)} (${figure(figures.throttledInvitations)} to invitations, ` +
        `${figure(figures.burstThrottled)} to the other application's ${figure(figures.burstSent)} sends in ${burstMillis / 1_000} s)`,
      `invitations put back on the queue to wait: ${figure(figures.deferred)} (at most ${figures.mostDeferrals} times the same)`,
      `GetAccount reads: ${throttle?.counts.accountReads ?? 0}`,
      `manager alert during the backlog: ${(figures.alertMillis / 1_000).toFixed(1)} s after the answer, ` +
        `${((figures.lastInvitationAt - figures.alertedAt) / 1_000).toFixed(0)} s before the last invitation`,
      `${Math.round((Date.now() - startedAt) / 1_000)} s in all (${figures.setupSeconds.toFixed(0)} s to start, import and tick)`,
    ].join('; '),
  );
});

describe('invitations with SES throttled to a low rate', () => {
  it('sends every customer exactly one invitation', () => {
    expect(figures.invitations).toBe(customerCount);
    expect(figures.recipientsTwice).toBe(0);
  });

  it('dead-letters no invitation', () => {
    expect(figures.deadLettered).toBe(0);
  });

  it('was really throttled, and throttled invitations waited on the queue rather than failing', () => {
    expect(figures.burstThrottled).toBeGreaterThan(0);
    expect(figures.throttledInvitations).toBeGreaterThan(0);
    expect(figures.deferred).toBeGreaterThan(0);
  });

  it('reads the sending rate from GetAccount', () => {
    expect(throttle.counts.accountReads).toBeGreaterThan(0);
  });

  it('alerts the store manager of a detractor within a minute, before the backlog is worked off', () => {
    expect(figures.alertMillis).toBeGreaterThan(0);
    expect(figures.alertMillis).toBeLessThan(60_000);
    // The alert went through the share of the rate the sender leaves, not after the invitations.
    expect(figures.alertedAt).toBeLessThan(figures.lastInvitationAt);
  });
});
