import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { aggregateKeysOf, periodsOf } from '../domain/aggregates';
import { indexOf, surveysTable } from '../resources/tables';
import type { StoredAnswer } from '../schemas/answer';
import { SurveyRecord } from '../schemas/survey';
import { isConditionFailure, persistently, transactWrite, updateIf } from './dynamodb';

/**
 * Surveys in DynamoDB, keyed by the hash of their invitation's link token (`surveyKeyOf`), with the
 * sparse `remindersDue` and `byReminderLink` indexes.
 */
export const createSurveyRepository = (
  db: DynamoDBDocumentClient,
  tableName: string,
  /** Where invitations are counted (needed by `markSent` only). */
  tables: { readonly aggregates?: string } = {},
) => {
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
      // Tried for longer than the SDK does: a survey left `sending` after its e-mail failed would
      // stay beside the one the retry creates, a second survey for the cycle that nobody can answer.
      await persistently(() =>
        db
          .send(
            new DeleteCommand({
              TableName: tableName,
              Key: { token },
              ConditionExpression: '#status = :sending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':sending': 'sending' },
            }),
          )
          .then(
            () => undefined,
            (error: Error) => {
              if (error.name !== 'ConditionalCheckFailedException') throw error;
            },
          ),
      );
    },

    /**
     * Marks a survey sent and due for its reminder at `reminderDueAt` (in shard `reminderShard`), and
     * counts the invitation in its store's and everyone's aggregates for the day and month it went
     * out: one transaction, conditioned on the survey still being `sending`, so a redelivered task
     * counts nothing twice. False if it was already marked.
     */
    async markSent(
      token: string,
      sentAt: string,
      reminder: { shard: string; dueAt: string } | undefined,
      storeId: string,
    ): Promise<boolean> {
      if (tables.aggregates === undefined) {
        throw new Error('markSent counts the invitation: create the repository with the aggregates table');
      }
      const surveyUpdate = {
        TableName: tableName,
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
      };
      try {
        await transactWrite(db, {
          TransactItems: [
            { Update: surveyUpdate },
            ...aggregateKeysOf(storeId, periodsOf(sentAt)).map((key) => ({
              Update: {
                TableName: tables.aggregates,
                Key: key,
                UpdateExpression: 'ADD invited :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            })),
          ],
        });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /** One page of surveys whose reminder is due by `until`, from one shard of the sparse index. */
    async queryRemindersDue(shard: string, until: string, limit: number, startKey?: Record<string, unknown>) {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexOf(surveysTable, 'remindersDue'),
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

    /**
     * Puts a queued reminder back in the reminder index, due at `dueAt`, when its task came too late
     * for its send window; false when it is there already or was sent.
     */
    restoreReminder: (token: string, shard: string, dueAt: string) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: 'SET reminderShard = :shard, reminderDueAt = :dueAt',
        ConditionExpression:
          'attribute_exists(#token) AND attribute_not_exists(reminderShard) AND attribute_not_exists(reminderSentAt)',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':shard': shard, ':dueAt': dueAt },
      }),

    /** Takes a survey out of the reminder index once its reminder is queued; false if already taken. */
    takeReminder: (token: string, dueAt: string) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: 'REMOVE reminderShard',
        ConditionExpression: 'reminderDueAt = :dueAt AND attribute_exists(reminderShard)',
        ExpressionAttributeValues: { ':dueAt': dueAt },
      }),

    /**
     * Stores the hash of the reminder's link token on the survey, unless one is already stored (first
     * writer wins): false when the survey already has one, or is gone.
     */
    setReminderLinkKey: (token: string, reminderLinkKey: string) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: 'SET reminderLinkKey = :key',
        ConditionExpression: 'attribute_exists(#token) AND attribute_not_exists(reminderLinkKey)',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':key': reminderLinkKey },
      }),

    /**
     * Takes back a reminder link key whose e-mail was not sent (nothing if the survey holds another one).
     * Tried for longer than the SDK does, like `discard`: left behind, it would keep the retry from
     * sending any reminder.
     */
    removeReminderLinkKey: (token: string, reminderLinkKey: string) =>
      persistently(async () => {
        await conditionalUpdate({
          Key: { token },
          UpdateExpression: 'REMOVE reminderLinkKey',
          ConditionExpression: 'reminderLinkKey = :key',
          ExpressionAttributeValues: { ':key': reminderLinkKey },
        });
      }),

    /** The key of the survey whose reminder link hashes to `reminderLinkKey` (the `byReminderLink` index). */
    async keyOfReminderLink(reminderLinkKey: string): Promise<string | undefined> {
      const { Items } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexOf(surveysTable, 'byReminderLink'),
          KeyConditionExpression: 'reminderLinkKey = :key',
          ExpressionAttributeValues: { ':key': reminderLinkKey },
          Limit: 1,
        }),
      );
      return Items?.[0]?.token as string | undefined;
    },

    markReminderSent: (token: string, at: string) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: 'SET reminderSentAt = :at',
        ConditionExpression: 'attribute_exists(#token) AND attribute_not_exists(reminderSentAt)',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':at': at },
      }),

    /** The keys of every survey of a customer (the keys-only `byCustomer` index), oldest first. */
    async tokensOfCustomer(customerId: string): Promise<string[]> {
      const tokens: string[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: indexOf(surveysTable, 'byCustomer'),
            KeyConditionExpression: 'customerId = :customerId',
            ExpressionAttributeValues: { ':customerId': customerId },
            ExclusiveStartKey,
          }),
        );
        tokens.push(...(page.Items ?? []).map((item) => item.token as string));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return tokens;
    },

    /** A survey's item exactly as stored, every attribute included (for a privacy export or erasure). */
    async readItem(token: string): Promise<Record<string, unknown> | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { token }, ConsistentRead: true }),
      );
      return Item;
    },

    /**
     * One page of answered surveys (every response, not only customers' latest), optionally only
     * those first answered in [from, to]: a filtered scan, for the rarer every-response export.
     */
    async scanAnswered(
      range: { from?: string; to?: string },
      startKey?: Record<string, unknown>,
      limit = 500,
    ) {
      const page = await db.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'attribute_exists(answer) AND firstAnsweredAt BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':from': range.from ?? '0000', ':to': range.to ?? '9999' },
          ProjectionExpression: 'surveyId, customerId, storeId, answer, firstAnsweredAt',
          ExclusiveStartKey: startKey,
          Limit: limit,
        }),
      );
      return {
        surveys: (page.Items ?? []) as {
          surveyId: string;
          customerId: string;
          storeId: string;
          answer: StoredAnswer;
          firstAnsweredAt: string;
        }[],
        nextKey: page.LastEvaluatedKey,
      };
    },

    /** Closes a survey's link as of `at` if it was open longer: nobody can answer it any more. */
    close: (token: string, at: string) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression: 'SET expiresAt = :at',
        ConditionExpression: 'attribute_exists(#token) AND expiresAt > :at',
        ExpressionAttributeNames: { '#token': 'token' },
        ExpressionAttributeValues: { ':at': at },
      }),

    /**
     * Erases what a survey holds about its customer and keeps what the aggregates counted: the customer
     * id becomes `replacementId`; the comment of the latest answer and of every earlier one, the answer
     * keys (hashes of the answer, comment included) and the sparse index entries (testimonials, a
     * store's comments, reminders) go; scores, reasons, times and `counted` stay, so nothing is ever
     * recounted. Only while the survey holds the `seen` answers, none waits to be counted and no consent
     * to quote stands (withdraw it first, uncounting it): false
     * when it changed meanwhile (read it again).
     */
    anonymise: (
      token: string,
      seen: { readonly version: number | undefined; readonly hasAnswer: boolean; readonly answers: number },
      replacementId: string,
      at: string,
    ) =>
      conditionalUpdate({
        Key: { token },
        UpdateExpression:
          'SET customerId = :replacement, erasedAt = if_not_exists(erasedAt, :at) REMOVE ' +
          [
            'testimonialShard',
            'commentStoreId',
            'reminderShard',
            'answerKey',
            'followUpAnswerKey',
            ...(seen.hasAnswer ? ['answer.#comment'] : []),
            ...Array.from({ length: seen.answers }, (_, index) => `answers[${index}].#comment`),
          ].join(', '),
        ConditionExpression:
          'attribute_exists(#token) AND attribute_not_exists(countShard) AND attribute_not_exists(consent) AND ' +
          (seen.version === undefined ? 'attribute_not_exists(version)' : 'version = :version'),
        ExpressionAttributeNames: {
          '#token': 'token',
          ...((seen.hasAnswer || seen.answers > 0) && { '#comment': 'comment' }),
        },
        ExpressionAttributeValues: {
          ':replacement': replacementId,
          ':at': at,
          ...(seen.version !== undefined && { ':version': seen.version }),
        },
      }),
  };
};

export type SurveyRepository = ReturnType<typeof createSurveyRepository>;
