import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { asFunction, consoleLog } from './console-log';
import { lambdaContext } from './lambda-context';

type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? '',
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp:
      message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
});

/**
 * Feeds an SQS queue to a Lambda handler the way an event source mapping does: receive up to ten
 * messages, invoke the handler with an SQS event, delete every message not reported in
 * `batchItemFailures`; failed ones come back after their visibility timeout, and the queue's redrive
 * policy moves them to the dead-letter queue after maxReceiveCount receives.
 */
export const createQueuePoller = ({
  sqs,
  queueUrl,
  functionName,
  batchSize = 10,
  load,
}: {
  sqs: SQSClient;
  queueUrl: string;
  functionName: string;
  /** Messages per invocation, at most 10 (one receive), as the event source mapping's batch size. */
  batchSize?: number;
  /** Imports the handler lazily, so the environment is complete before its module reads it. */
  load: () => Promise<QueueHandler>;
}) => {
  let handler: Promise<QueueHandler> | undefined;
  let queueArn: Promise<string> | undefined;
  let running = false;
  let loop: Promise<void> | undefined;

  const arn = () => {
    queueArn ??= sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
      .then(({ Attributes }) => Attributes?.QueueArn ?? queueUrl);
    return queueArn;
  };

  /** One receive-invoke-delete round; returns how many messages it received. */
  const pollOnce = async (waitSeconds = 0): Promise<number> => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(batchSize, 10),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return 0;
    const records = Messages.map((message) => toRecord(message, ''));
    const queueArnValue = await arn();
    for (const record of records) record.eventSourceARN = queueArnValue;
    handler ??= load();
    let failed: Set<string>;
    try {
      const invoke = await handler;
      const result = await asFunction(functionName, () =>
        invoke({ Records: records }, lambdaContext(functionName)),
      );
      failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      consoleLog.warn(functionName, 'the batch failed; will retry', { error });
      failed = new Set(records.map((record) => record.messageId));
    }
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
        }),
      );
    }
    return Messages.length;
  };

  /** Messages waiting or in flight (a failed one waiting out its retry delay counts). */
  const backlog = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)
    );
  };

  return {
    pollOnce,
    backlog,

    /** Processes until the queue is empty (retries included), or fails after `timeoutMs`. */
    async drain(timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while ((await pollOnce(0)) > 0 || (await backlog()) > 0) {
        if (Date.now() > deadline)
          throw new Error(`${functionName}: queue not drained within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },

    start() {
      running = true;
      loop = (async () => {
        while (running) {
          try {
            await pollOnce(1);
          } catch (error) {
            if (running) consoleLog.error(functionName, 'polling failed', { error });
            await new Promise((resolve) => setTimeout(resolve, 1_000));
          }
        }
      })();
    },

    async stop() {
      running = false;
      await loop;
    },
  };
};

export type QueuePoller = ReturnType<typeof createQueuePoller>;
