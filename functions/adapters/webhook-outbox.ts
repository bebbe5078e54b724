import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookEvent } from '../domain/webhooks';

/** Events are kept this long in the outbox (the fan-out reads them from its stream at once). */
const keepSeconds = 14 * 86_400;

/** An event as the outbox stores it: with the time it expires. */
export const outboxItemOf = (event: WebhookEvent) => ({
  ...event,
  expiration: Math.floor(Date.now() / 1000) + keepSeconds,
});

/** The write that records `event` unless it is recorded already (alone, or in a transaction). */
export const outboxPutOf = (tableName: string, event: WebhookEvent) => ({
  TableName: tableName,
  Item: outboxItemOf(event),
  ConditionExpression: 'attribute_not_exists(id)',
});

/**
 * The webhook outbox (`WebhookEvents`): the step that made an event happen records it here, keyed by
 * its stable id; the table's stream hands each new event to the fan-out. Recording is idempotent: a
 * retried step finds its event there and records nothing, so receivers get one event per id.
 */
export const createWebhookOutbox = (db: DynamoDBDocumentClient, tableName: string) => ({
  /** Records events not recorded yet; true for each it recorded. */
  async record(...events: readonly WebhookEvent[]): Promise<boolean[]> {
    return Promise.all(
      events.map(async (event) => {
        try {
          await db.send(new PutCommand(outboxPutOf(tableName, event)));
          return true;
        } catch (error) {
          if ((error as Error).name === 'ConditionalCheckFailedException') return false;
          throw error;
        }
      }),
    );
  },

  /**
   * Deletes events (an erased customer's): their payloads hold ids and comments. A deletion reaches the
   * stream as a removal, which the fan-out's filter (a new image with a type) leaves out.
   */
  async forget(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => db.send(new DeleteCommand({ TableName: tableName, Key: { id } }))));
  },
});

export type WebhookOutbox = ReturnType<typeof createWebhookOutbox>;
