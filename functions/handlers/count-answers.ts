import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createSqsClient } from '../adapters/task-queue';
import { CountAnswerTask } from '../schemas/answer';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { countAnswer } from '../use-cases/count-answer';
import { answersQueueOf, countAnswerDeps } from '../wiring/count-answer';

const sqs = createSqsClient();
const { deps, registerContext } = countAnswerDeps(new DynamoDBClient({}), sqs);

const consume = queueConsumer(
  async (record: SQSRecord) => {
    const { token } = CountAnswerTask.parse(JSON.parse(record.body));
    const { outcome, discarded } = await countAnswer(deps, token);
    if (discarded > 0) countMetric('ScannerAnswersDiscarded', discarded);
    logger.debug('answer counted', { messageId: record.messageId, outcome });
  },
  { queue: answersQueueOf(sqs), retryBaseSeconds: 1 },
);

/**
 * Consumes the answers queue (answers the tick found uncounted, and held answers whose hold has ended):
 * same work as the stream consumer.
 */
export const handler = publishingMetrics((event: SQSEvent, context: Context) => {
  registerContext(context);
  return consume(event, context);
});
