import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoff, chunk, updateIf } from './dynamodb';

/**
 * What the scheduler needs of the surveys table to place reminders in their send windows, kept out of
 * the survey repository so that the sender's bundle does not carry it.
 */
export const createReminderSchedule = (db: DynamoDBDocumentClient, tableName: string) => ({
  /** The customer and store of each survey found (a batch read of just those attributes). */
  async ownersOf(tokens: readonly string[]): Promise<Map<string, { customerId: string; storeId: string }>> {
    const found = new Map<string, { customerId: string; storeId: string }>();
    for (const batch of chunk(tokens, 100)) {
      let keys: Record<string, unknown>[] = batch.map((token) => ({ token }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await backoff(attempt);
        const { Responses, UnprocessedKeys } = await db.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: keys,
                ProjectionExpression: '#token, customerId, storeId',
                ExpressionAttributeNames: { '#token': 'token' },
              },
            },
          }),
        );
        for (const item of Responses?.[tableName] ?? [])
          found.set(item.token as string, {
            customerId: item.customerId as string,
            storeId: item.storeId as string,
          });
        keys = UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
    return found;
  },

  /** Moves a reminder still due at `seenDue` to `dueAt` (its send window's slot); false if it changed. */
  postponeReminder: (token: string, seenDue: string, dueAt: string) =>
    updateIf(db, {
      TableName: tableName,
      Key: { token },
      UpdateExpression: 'SET reminderDueAt = :next',
      ConditionExpression: 'reminderDueAt = :seen AND attribute_exists(reminderShard)',
      ExpressionAttributeValues: { ':next': dueAt, ':seen': seenDue },
    }),
});

export type ReminderSchedule = ReturnType<typeof createReminderSchedule>;
