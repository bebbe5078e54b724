import type { Context, SQSEvent } from 'aws-lambda';
import { webhookRetryDelaySeconds } from '../domain/webhooks';
import { WebhookDeliveryTask } from '../schemas/webhooks';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { deliverWebhook } from '../use-cases/webhooks';
import { webhooksWiring } from '../wiring/webhooks';

const { deps, registerContext, queue, retryBaseSeconds } = webhooksWiring();

const consume = queueConsumer(
  async (record) => {
    const task = WebhookDeliveryTask.parse(JSON.parse(record.body));
    const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const { outcome } = await deliverWebhook(deps, task, attempt);
    logger.info('webhook delivery done', {
      messageId: record.messageId,
      endpointId: task.endpointId,
      eventId: task.event.id,
      outcome,
    });
  },
  { queue, retryDelay: (attempt) => webhookRetryDelaySeconds(attempt, retryBaseSeconds) },
);

/** Consumes the Webhooks queue: posts each event to its endpoint, signed, retried with backoff until taken. */
export const handler = (event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
};
