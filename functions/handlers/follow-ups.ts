import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { FollowUpTask } from '../schemas/answer';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { handleFollowUpTask } from '../use-cases/follow-up';
import { followUpsWiring } from '../wiring/follow-ups';

const { deps, registerContext, queue, retryBaseSeconds } = followUpsWiring();

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const task = FollowUpTask.parse(JSON.parse(record.body));
    const outcome = await handleFollowUpTask(deps, task);
    logger.info('follow-up task done', { messageId: record.messageId, kind: task.kind, outcome });
    if (outcome === 'opened') countMetric('DetractorCasesOpened');
  },
  { queue, retryBaseSeconds, inOrder: true },
);

/** Consumes the follow-up queue: opens detractor cases, alerts managers, notes changes, escalates. */
export const handler = publishingMetrics((event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
});
