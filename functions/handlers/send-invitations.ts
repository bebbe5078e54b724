import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvitationTask } from '../schemas/survey';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { handleInvitationTask } from '../use-cases/send-invitation';
import { sendInvitationsWiring } from '../wiring/send-invitations';

const { deps, registerContext, queue, retryBaseSeconds } = sendInvitationsWiring();

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const task = InvitationTask.parse(JSON.parse(record.body));
    const result = await handleInvitationTask(task, deps);
    logger.info('invitation task done', { messageId: record.messageId, kind: task.kind, ...result });
    if (result.outcome === 'sent')
      countMetric(task.kind === 'invitation' ? 'InvitationsSent' : 'RemindersSent');
  },
  { queue, retryBaseSeconds },
);

/** Consumes the invitations queue: renders and sends survey invitations and reminders through SES. */
export const handler = publishingMetrics((event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
});
