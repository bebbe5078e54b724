import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createSqsClient } from '../adapters/task-queue';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { addLambdaContext } from '../shared/powertools';
import { countAnswer } from '../use-cases/count-answer';
import { countAnswerDeps } from '../wiring/count-answer';

const { deps, registerContext } = countAnswerDeps(new DynamoDBClient({}), createSqsClient());
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const countRecord = async (record: DynamoDBRecord) => {
  const token = record.dynamodb?.Keys?.token?.S;
  if (token === undefined) return;
  const { discarded } = await countAnswer(deps, token);
  if (discarded > 0) countMetric('ScannerAnswersDiscarded', discarded);
};

/**
 * Consumes the Surveys table's stream, filtered to surveys with an uncounted answer: counts each
 * into the aggregates, updates the customer record, hands detractors to follow-up. Failed records are
 * reported one by one (partial batch response); the event source retries, then sends the batch's
 * description to the answers dead-letter queue.
 */
export const handler = publishingMetrics((event: DynamoDBStreamEvent, context: Context) => {
  registerContext(context);
  addLambdaContext(context);
  return processPartialResponse(event, countRecord, processor, { context });
});
