import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createMailer,
  createSendQuota,
  FALLBACK_SEND_RATE,
  isSesThrottling,
  pacedMailer,
  SendDeferredError,
} from '../../../functions/adapters/mailer';
import { createPacer } from '../../../functions/domain/pacing';

const ses = mockClient(SESv2Client);
beforeEach(() => ses.reset());

const client = () => new SESv2Client({ region: 'eu-west-1' });
const email = { to: 'ana@example.com', subject: 'How did we do?', html: '<p>Hi</p>', text: 'Hi' };

/** The error SES v2 answers a send over the account's rate with, as the SDK raises it. */
const tooManyRequests = () =>
  Object.assign(new Error('Maximum sending rate exceeded.'), {
    name: 'TooManyRequestsException',
    $fault: 'client',
    $metadata: { httpStatusCode: 429 },
  });

const clock = () => {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('isSesThrottling', () => {
  it('recognises SES v2, SES v1 and a bare 429', () => {
    expect(isSesThrottling(tooManyRequests())).toBe(true);
    expect(isSesThrottling(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))).toBe(true);
    expect(isSesThrottling({ name: 'Unknown', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isSesThrottling(new Error('Maximum sending rate exceeded.'))).toBe(true);
  });

  it('leaves other refusals alone (a paused account is no throttle)', () => {
    expect(
      isSesThrottling(Object.assign(new Error('Sending paused'), { name: 'SendingPausedException' })),
    ).toBe(false);
    expect(isSesThrottling(undefined)).toBe(false);
  });
});

describe('createSendQuota', () => {
  it("reads the account's MaxSendRate once, and again after five minutes", async () => {
    ses
      .on(GetAccountCommand)
      .resolvesOnce({ SendQuota: { MaxSendRate: 14 } })
      .resolves({ SendQuota: { MaxSendRate: 50 } });
    const time = clock();
    const quota = createSendQuota(client(), { now: time.now });
    expect(await Promise.all([quota.maxSendRate(), quota.maxSendRate()])).toEqual([14, 14]);
    time.advance(4 * 60_000);
    expect(await quota.maxSendRate()).toBe(14);
    time.advance(60_000);
    expect(await quota.maxSendRate()).toBe(50);
    expect(ses.commandCalls(GetAccountCommand)).toHaveLength(2);
  });

  it('falls back to the lowest rate SES gives when GetAccount fails, and tries again a minute later', async () => {
    ses
      .on(GetAccountCommand)
      .rejectsOnce(new Error('AccessDenied'))
      .resolves({ SendQuota: { MaxSendRate: 20 } });
    const time = clock();
    const failures: unknown[] = [];
    const quota = createSendQuota(client(), { now: time.now, onFallback: (error) => failures.push(error) });
    expect(await quota.maxSendRate()).toBe(FALLBACK_SEND_RATE);
    expect(failures).toHaveLength(1);
    time.advance(30_000);
    expect(await quota.maxSendRate()).toBe(FALLBACK_SEND_RATE);
    time.advance(30_000);
    expect(await quota.maxSendRate()).toBe(20);
  });

  it('falls back when the account reports no usable rate', async () => {
    ses.on(GetAccountCommand).resolves({ SendQuota: { MaxSendRate: 0 } });
    expect(await createSendQuota(client(), { fallback: 2 }).maxSendRate()).toBe(2);
  });
});

describe('pacedMailer', () => {
  const paced = (maxWaitMs: number, time = clock()) => {
    const slept: number[] = [];
    const mailer = pacedMailer(createMailer(client(), { from: 'surveys@example.com' }), {
      pacer: createPacer(time.now),
      ratePerSecond: async () => 2,
      maxWaitMs: () => maxWaitMs,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    return { mailer, slept };
  };

  it('waits for each send its slot at the given rate', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
    const { mailer, slept } = paced(10_000);
    await Promise.all([mailer.send(email), mailer.send(email), mailer.send(email)]);
    expect(slept).toEqual([500, 1_000]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
  });

  it('defers, without calling SES, a send whose slot comes after the time left', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
    const { mailer } = paced(700);
    await mailer.send(email);
    await mailer.send(email);
    const deferred = await mailer.send(email).catch((error: unknown) => error);
    expect(deferred).toBeInstanceOf(SendDeferredError);
    expect((deferred as SendDeferredError).reason).toEqual({ kind: 'paced', waitMs: 1_000 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('defers a send SES throttled, keeping its error as the cause', async () => {
    const throttled = tooManyRequests();
    ses.on(SendEmailCommand).rejects(throttled);
    const deferred = await paced(10_000)
      .mailer.send(email)
      .catch((error: unknown) => error);
    expect(deferred).toBeInstanceOf(SendDeferredError);
    expect((deferred as SendDeferredError).reason).toEqual({ kind: 'throttled' });
    expect((deferred as SendDeferredError).cause).toBe(throttled);
  });

  it('lets any other SES failure through as it is, for the usual retries', async () => {
    const failure = Object.assign(new Error('Internal failure'), {
      name: 'InternalFailure',
      $fault: 'server',
    });
    ses.on(SendEmailCommand).rejects(failure);
    await expect(paced(10_000).mailer.send(email)).rejects.toBe(failure);
  });
});
