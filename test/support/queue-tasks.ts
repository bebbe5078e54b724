import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FollowUpTask } from '../../functions/schemas/answer';

/** Takes every follow-up task off a queue (received and deleted), parsed, in the order received. */
export const takeFollowUpTasks = async (sqs: SQSClient, queueUrl: string | undefined) => {
  const tasks: FollowUpTask[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return tasks;
    tasks.push(...Messages.map((message) => FollowUpTask.parse(JSON.parse(message.Body ?? ''))));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
};
