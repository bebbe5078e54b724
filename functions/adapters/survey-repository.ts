import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { SurveyRecord } from '../schemas/survey';
import { updateIf } from './dynamodb';

/** Surveys in DynamoDB, keyed by link token, with the sparse `remindersDue` index. */
export const createSurveyRepository = (db: DynamoDBDocumentClient, tableName: string) => {
  const conditionalUpdate = (input: Omit<UpdateCommandInput, 'TableName'>) =>
    updateIf(db, { TableName: tableName, ...input });

  return {
    async get(token: string): Promise<SurveyRecord | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { token }, ConsistentRead: true }),
      );
      return Item === undefined ? undefined : SurveyRecord.parse(Item);
    },

    async create(survey: SurveyRecord): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: survey,
          ConditionExpression: 'attribute_not_exists(#token)',
          ExpressionAttributeNames: { '#token': 'token' },
        }),
      );
    },

    /** Removes a survey whose e-mail could not be sent, so no unreachable survey lingers. */
    async discard(token: string): Promise<void> {
      await db
        .send(
          new DeleteCommand({
            TableName: tableName,
            Key: { token },
            ConditionExpression: '#status = :sending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':sending': 'sending' },
          }),
        )
        .catch((error: Error) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
        });
    },

    /** Marks a survey sent and due for its reminder at `reminderDueAt` (in shard `reminderShard`). */
    markSent: (token: string, sentAt: string, reminder: { shard: string; dueAt: string } | undefined) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: reminder
          ? 'SET #status = :sent, sentAt = :sentAt, reminderShard = :shard, reminderDueAt = :dueAt'
          : 'SET #status = :sent, sentAt = :sentAt',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':sending': 'sending',
          ':sentAt': sentAt,
          ...(reminder && { ':shard': reminder.shard, ':dueAt': reminder.dueAt }),
        },
      }),

    /** One page of surveys whose reminder is due by `until`, from one shard of the sparse index. */
    async queryRemindersDue(shard: string, until: string, limit: number, startKey?: Record<string, unknown>) {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'remindersDue',
          KeyConditionExpression: 'reminderShard = :shard AND reminderDueAt <= :until',
          ExpressionAttributeValues: { ':shard': shard, ':until': until },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        due: (page.Items ?? []).map((item) => ({
          token: item.token as string,
          reminderDueAt: item.reminderDueAt as string,
        })),
        nextKey: page.LastEvaluatedKey,
      };
    },

    /** Takes a survey out of the reminder index once its reminder is queued; false if already taken. */
    takeReminder: (token: string, dueAt: string) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: 'REMOVE reminderShard',
        ConditionExpression: 'reminderDueAt = :dueAt AND attribute_exists(reminderShard)',
        ExpressionAttributeValues: { ':dueAt': dueAt },
      }),

    markReminderSent: (token: string, at: string) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: 'SET reminderSentAt = :at',
        ConditionExpression: 'attribute_exists(#token) AND attribute_not_exists(reminderSentAt)',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':at': at },
      }),
  };
};

export type SurveyRepository = ReturnType<typeof createSurveyRepository>;
