import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { WebhookEventRecord } from '../schemas/webhooks';
import { addLambdaContext, logger } from '../shared/powertools';
import { fanOutWebhookEvent } from '../use-cases/webhooks';
import { webhookEventsWiring } from '../wiring/webhooks';

const { deps } = webhookEventsWiring();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

const fanOut = async (record: DynamoDBRecord, batchDeps: Parameters<typeof fanOutWebhookEvent>[0]) => {
  const image = record.dynamodb?.NewImage;
  if (image === undefined) return;
  const event = WebhookEventRecord.parse(unmarshall(image as Record<string, AttributeValue>));
  const { endpoints } = await fanOutWebhookEvent(batchDeps, event);
  logger.debug('webhook event queued', { eventId: event.id, type: event.type, endpoints });
};

/**
 * Consumes the WebhookEvents stream (the outbox), filtered to new events: queues one delivery per
 * endpoint that wants each. Failed records are reported one by one; the event source retries, then
 * sends the batch's description to the Webhooks dead-letter queue.
 */
export const handler = (event: DynamoDBStreamEvent, context: Context) => {
  addLambdaContext(context);
  // The endpoints are read once per batch of events, not once per event.
  let listed: ReturnType<typeof deps.endpoints.listAll> | undefined;
  const batchDeps = { ...deps, endpoints: { listAll: () => (listed ??= deps.endpoints.listAll()) } };
  return processPartialResponse(event, (record: DynamoDBRecord) => fanOut(record, batchDeps), processor, {
    context,
  });
};
