import { Duration } from 'aws-cdk-lib';
import { type IQueue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import { visibilityTimeoutSecondsOf } from '../../functions/resources/queue-consumers';
import { deadLetterRetentionDays, type QueueDefinition } from '../../functions/resources/queues';

const encrypted = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

/** Props for a dead-letter queue: encrypted, TLS only, keeping messages as long as SQS allows. */
export const deadLetterQueueProps = (): QueueProps => ({
  ...encrypted,
  retentionPeriod: Duration.days(deadLetterRetentionDays),
});

/**
 * Props for a work queue from its shared definition, redriving to `deadLetterQueue`, with a visibility
 * timeout six times its consumer's timeout (derived from the manifests).
 */
export const workQueueProps = (queue: QueueDefinition, deadLetterQueue: IQueue): QueueProps => ({
  ...encrypted,
  visibilityTimeout: Duration.seconds(visibilityTimeoutSecondsOf(queue)),
  retentionPeriod: Duration.days(queue.retentionDays),
  deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: queue.maxReceiveCount },
});
