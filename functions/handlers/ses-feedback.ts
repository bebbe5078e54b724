import type { Context, SQSEvent } from 'aws-lambda';
import { feedbackOf } from '../schemas/ses-feedback';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { applySesFeedback } from '../use-cases/contact-status';
import { sesFeedbackWiring } from '../wiring/ses-feedback';

const { deps, queue } = sesFeedbackWiring();

const consume = queueConsumer(
  async (record) => {
    const applied = await applySesFeedback(deps, feedbackOf(record.body));
    logger.info('SES feedback applied', { messageId: record.messageId, suppressed: applied.length });
  },
  { queue, retryBaseSeconds: 30 },
);

/** Consumes SES bounce and complaint events: such customers are never mailed again. */
export const handler = (event: SQSEvent, context: Context) => consume(event, context);
