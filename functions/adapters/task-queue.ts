import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import { backoff, chunk } from './dynamodb';

/**
 * An SQS client that sends every request to its configured endpoint (by default the SDK sends it to
 * the queue URL's host, which the local emulator's URLs do not resolve to).
 */
export const createSqsClient = (config: SQSClientConfig = {}) =>
  new SQSClient({ useQueueUrlAsEndpoint: false, ...config });

/**
 * A task as an SQS message body: JSON with every character outside printable ASCII escaped. SQS
 * refuses bodies with some characters (control characters, and the emulator even emoji), and a
 * customer's comment may hold any of them; `\uXXXX` escapes parse back to the same text.
 */
export const messageBodyOf = (task: unknown): string =>
  JSON.stringify(task).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** A queue of JSON tasks on SQS. */
export const createTaskQueue = (sqs: SQSClient, queueUrl: string) => ({
  /** Sends tasks in batches of ten, retrying entries SQS could not take; throws if some never go. */
  async sendAll(tasks: readonly unknown[]): Promise<void> {
    for (const batch of chunk(tasks, 10)) {
      let entries = batch.map((task, index) => ({ Id: String(index), MessageBody: messageBodyOf(task) }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        if (attempt >= 5) throw new Error(`SQS refused ${entries.length} messages after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const { Failed } = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failedIds = new Set((Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failedIds.has(entry.Id));
      }
    }
  },

  /** Sends one task that becomes visible after `delaySeconds` (at most 900, SQS's limit). */
  async sendLater(task: unknown, delaySeconds: number): Promise<void> {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: messageBodyOf(task),
        DelaySeconds: Math.max(0, Math.min(900, Math.ceil(delaySeconds))),
      }),
    );
  },

  /** Postpones the next delivery of a received message (retry backoff). */
  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  },
});

export type TaskQueue = ReturnType<typeof createTaskQueue>;
