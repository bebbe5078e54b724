import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueueId, type QueueDefinition, queues } from '../../functions/resources/queues';
import { deadLetterQueueProps, workQueueProps } from '../defaults/queue-defaults';
import { type AlarmTopic, oneMinute } from './alarm-topic';

/**
 * Every queue of `functions/resources/queues.ts` with its dead-letter queue, and an alarm that fires
 * as soon as one message lands in a dead-letter queue: each one is a lost invitation or follow-up.
 */
export class WorkQueues extends Construct {
  private readonly byId = new Map<string, { queue: Queue; deadLetter: Queue }>();

  constructor(scope: Construct, id: string, alarms: AlarmTopic) {
    super(scope, id);
    for (const definition of queues) {
      const deadLetter = new Queue(this, deadLetterQueueId(definition), deadLetterQueueProps());
      Validations.of(deadLetter).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason:
          'This is the dead-letter queue, the end of the line: its alarm calls an operator, who redrives ' +
          'the messages to the source queue once the cause is fixed (SQS StartMessageMoveTask).',
      });
      const queue = new Queue(this, definition.id, workQueueProps(definition, deadLetter));
      alarms.alarmAbove(
        `${deadLetterQueueId(definition)}Alarm`,
        deadLetter.metricApproximateNumberOfMessagesVisible({ period: oneMinute, statistic: 'Maximum' }),
        0,
        `Messages of the ${definition.id} queue failed ${definition.maxReceiveCount} times and wait in its dead-letter queue.`,
      );
      this.byId.set(definition.id, { queue, deadLetter });
    }
  }

  get(definition: QueueDefinition) {
    const pair = this.byId.get(definition.id);
    if (pair === undefined)
      throw new Error(`queue ${definition.id} is not declared in functions/resources/queues.ts`);
    return pair;
  }
}
