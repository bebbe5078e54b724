import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SendDeferredError } from '../../../functions/adapters/mailer';
import { createTaskQueue } from '../../../functions/adapters/task-queue';
import { MAX_DEFERRALS } from '../../../functions/domain/pacing';
import type { InvitationTask } from '../../../functions/schemas/survey';
import { deferringSends } from '../../../functions/shared/deferred-sends';

const sqs = mockClient(SQSClient);
beforeEach(() => sqs.reset());

const queue = () => createTaskQueue(new SQSClient({ region: 'eu-west-1' }), 'https://queue/invitations');
const task: InvitationTask = {
  kind: 'invitation',
  customerId: 'C1',
  cycleAt: '2026-06-01T00:00:00.000Z',
  scheduledAt: '2026-06-01T01:00:00.000Z',
};
const failingWith = (error: unknown) => async (_task: InvitationTask) => {
  throw error;
};
const sentAgain = () =>
  sqs.commandCalls(SendMessageCommand).map(({ args }) => ({
    task: JSON.parse(args[0].input.MessageBody ?? ''),
    delaySeconds: args[0].input.DelaySeconds,
  }));

describe('deferringSends', () => {
  it('passes through the result of a task that ran', async () => {
    const run = deferringSends(async () => ({ outcome: 'sent' as const }), {
      queue: queue(),
      retryBaseSeconds: 30,
    });
    expect(await run(task)).toEqual({ outcome: 'sent' });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('puts a throttled task back as a new message, delayed and counted, and succeeds (the received one is deleted)', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'new' });
    const run = deferringSends(failingWith(new SendDeferredError({ kind: 'throttled' })), {
      queue: queue(),
      retryBaseSeconds: 30,
    });
    expect(await run({ ...task, deferrals: 2 })).toEqual({
      outcome: 'deferred',
      reason: 'throttled',
      deferrals: 3,
      delaySeconds: 120,
    });
    expect(sentAgain()).toEqual([{ task: { ...task, deferrals: 3 }, delaySeconds: 120 }]);
  });

  it('puts a paced-out task back for the wait its pacer foresaw', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'new' });
    const run = deferringSends(failingWith(new SendDeferredError({ kind: 'paced', waitMs: 7_300 })), {
      queue: queue(),
      retryBaseSeconds: 30,
    });
    expect(await run(task)).toMatchObject({
      outcome: 'deferred',
      reason: 'paced',
      deferrals: 1,
      delaySeconds: 8,
    });
    expect(sentAgain()).toEqual([{ task: { ...task, deferrals: 1 }, delaySeconds: 8 }]);
  });

  it('however often SES throttles, never fails the message (so it never reaches the DLQ)', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'new' });
    const run = deferringSends(failingWith(new SendDeferredError({ kind: 'throttled' })), {
      queue: queue(),
      retryBaseSeconds: 1,
    });
    let current: InvitationTask = task;
    for (let receive = 0; receive < 20; receive++) {
      await expect(run(current)).resolves.toMatchObject({ outcome: 'deferred' });
      current = sentAgain().at(-1)?.task;
    }
    expect(current.deferrals).toBe(20);
  });

  it('lets any other failure through, for the usual retries, and sends nothing', async () => {
    const failure = new Error('DynamoDB is down');
    const run = deferringSends(failingWith(failure), { queue: queue(), retryBaseSeconds: 30 });
    await expect(run(task)).rejects.toBe(failure);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it(`gives up deferring after ${MAX_DEFERRALS} deferrals: the failure goes on to the usual retries`, async () => {
    const deferred = new SendDeferredError({ kind: 'throttled' });
    const run = deferringSends(failingWith(deferred), { queue: queue(), retryBaseSeconds: 30 });
    await expect(run({ ...task, deferrals: MAX_DEFERRALS })).rejects.toBe(deferred);
  });

  it('fails the message when SQS refuses the new one, so the task is retried rather than lost', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('SQS is down'));
    const run = deferringSends(failingWith(new SendDeferredError({ kind: 'throttled' })), {
      queue: queue(),
      retryBaseSeconds: 30,
    });
    await expect(run(task)).rejects.toThrow('SQS is down');
  });
});
