import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTaskQueue } from '../../../functions/adapters/task-queue';
import { logger } from '../../../functions/shared/powertools';
import { queueConsumer } from '../../../functions/shared/queue-consumer';

const sqs = mockClient(SQSClient);
const queue = createTaskQueue(new SQSClient({ region: 'eu-west-1' }), 'https://sqs.example/queue');

const record = (messageId: string, body: string, receiveCount = 1): SQSRecord => ({
  messageId,
  receiptHandle: `handle-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'x',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:1:queue',
  awsRegion: 'eu-west-1',
});

beforeEach(() => {
  sqs.reset();
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

describe('queueConsumer', () => {
  const consume = queueConsumer(
    async (message) => {
      if (message.body === 'fail') throw new Error('SES throttled');
    },
    { queue, retryBaseSeconds: 30 },
  );

  it('reports only the failed records, so the others are deleted', async () => {
    const result = await consume(
      { Records: [record('a', 'ok'), record('b', 'fail'), record('c', 'ok')] },
      {} as Context,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
  });

  it('postpones a failed record with exponential backoff from its receive count', async () => {
    await consume({ Records: [record('a', 'ok'), record('b', 'fail', 3)] }, {} as Context);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: 'https://sqs.example/queue', ReceiptHandle: 'handle-b', VisibilityTimeout: 120 },
    ]);
  });

  it('postpones a failed record by the consumer’s own schedule when it has one', async () => {
    const scheduled = queueConsumer(
      async (message) => {
        if (message.body === 'fail') throw new Error('endpoint answered 500');
      },
      { queue, retryDelay: (attempt) => attempt * 1000 },
    );
    await scheduled({ Records: [record('a', 'ok'), record('b', 'fail', 4)] }, {} as Context);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input.VisibilityTimeout).toBe(4000);
  });

  it('still reports the failure when the backoff cannot be set', async () => {
    sqs.on(ChangeMessageVisibilityCommand).rejects(new Error('gone'));
    const result = await consume({ Records: [record('a', 'ok'), record('b', 'fail')] }, {} as Context);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
  });

  it('logs an expected retry (another delivery in progress, throttling) at debug level, anything else as a warning', async () => {
    const debug = vi.spyOn(logger, 'debug');
    const warn = vi.spyOn(logger, 'warn');
    const failing = queueConsumer(
      async (message) => {
        if (message.body !== 'ok') throw Object.assign(new Error(message.body), { name: message.body });
      },
      { queue },
    );
    await failing(
      {
        Records: [
          record('a', 'IdempotencyAlreadyInProgressError'),
          record('b', 'ThrottlingException'),
          record('c', 'TypeError'),
          record('d', 'ok'),
        ],
      },
      {} as Context,
    );
    expect(debug).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('task failed; will retry', expect.objectContaining({ messageId: 'c' }));
    vi.restoreAllMocks();
  });

  it('handles a batch in the order received when asked to, each record after the one before', async () => {
    const events: string[] = [];
    const inOrder = queueConsumer(
      async (message) => {
        events.push(`start ${message.body}`);
        await new Promise((resolve) => setTimeout(resolve, message.body === 'slow' ? 20 : 0));
        events.push(`end ${message.body}`);
      },
      { queue, inOrder: true },
    );
    await inOrder({ Records: [record('a', 'slow'), record('b', 'fast')] }, {} as Context);
    expect(events).toEqual(['start slow', 'end slow', 'start fast', 'end fast']);
  });
});
