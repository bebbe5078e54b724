import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvitationTask } from '../schemas/survey';
import { deferringSends } from '../shared/deferred-sends';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { handleInvitationTask } from '../use-cases/send-invitation';
import { sendInvitationsWiring } from '../wiring/send-invitations';

const { deps, registerContext, queue, retryBaseSeconds } = sendInvitationsWiring();

// A send waiting for SES sending rate goes back to the queue as a new message: never dead-lettered.
const handleTask = deferringSends((task: InvitationTask) => handleInvitationTask(task, deps), {
  queue,
  retryBaseSeconds,
});

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const task = InvitationTask.parse(JSON.parse(record.body));
    const result = await handleTask(task);
    logger.info('invitation task done', { messageId: record.messageId, kind: task.kind, ...result });
    if (result.outcome === 'sent')
      countMetric(task.kind === 'invitation' ? 'InvitationsSent' : 'RemindersSent');
    if (result.outcome === 'deferred') countMetric('InvitationsDeferred');
  },
  { queue, retryBaseSeconds },
);

/** Consumes the invitations queue: renders and sends survey invitations and reminders through SES. */
export const handler = publishingMetrics((event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
});
