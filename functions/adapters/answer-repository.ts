import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { indexOf, surveysTable } from '../resources/tables';
import type { CountedAnswer, StoredAnswer } from '../schemas/answer';
import { SurveyRecord } from '../schemas/survey';
import { isConditionFailure, transactWrite } from './dynamodb';

export interface AnswerTables {
  readonly surveys: string;
  /** Only to count answers (the survey page records them without it). */
  readonly aggregates?: string;
}

/** Thrown when the survey changed between our read and our write; the caller reads again. */
export class StaleAnswerError extends Error {}

/** Answers on surveys, and the exact aggregates they are counted into. */
export const createAnswerRepository = (db: DynamoDBDocumentClient, tables: AnswerTables) => ({
  /**
   * Stores an answer as the survey's latest and appends it to the survey's answers, in one
   * conditional write with no read before it: the survey must exist, be open, and not hold this very
   * answer already (a double click). The version goes up by one atomically, and the survey enters the
   * `answersToCount` index until the answer is counted. On refusal, says why from the item as it was.
   */
  async record(
    token: string,
    answer: StoredAnswer,
    answerKey: string,
    countShard: string,
  ): Promise<
    | { outcome: 'recorded'; survey: SurveyRecord }
    | { outcome: 'duplicate'; survey: SurveyRecord }
    | { outcome: 'expired' }
    | { outcome: 'missing' }
  > {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tables.surveys,
          Key: { token },
          UpdateExpression:
            'SET answer = :answer, answerKey = :key, version = if_not_exists(version, :zero) + :one, ' +
            '#status = :responded, answeredAt = :at, countShard = :shard, ' +
            'firstAnsweredAt = if_not_exists(firstAnsweredAt, :at), ' +
            'answers = list_append(if_not_exists(answers, :empty), :answers) REMOVE reminderShard',
          ConditionExpression:
            'attribute_exists(#token) AND expiresAt > :at AND (attribute_not_exists(answerKey) OR answerKey <> :key)',
          ExpressionAttributeNames: { '#token': 'token', '#status': 'status' },
          ExpressionAttributeValues: {
            ':answer': answer,
            ':key': answerKey,
            ':zero': 0,
            ':one': 1,
            ':responded': 'responded',
            ':at': answer.at,
            ':shard': countShard,
            ':empty': [],
            ':answers': [answer],
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'recorded', survey: SurveyRecord.parse(Attributes) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item === undefined) return { outcome: 'missing' };
      const survey = SurveyRecord.parse(unmarshall(error.Item));
      if (survey.expiresAt <= answer.at) return { outcome: 'expired' };
      return { outcome: 'duplicate', survey };
    }
  },

  /**
   * Counts a survey's answer `version` into the aggregates: adds `delta` to each aggregate and marks
   * the survey counted, in one transaction, on condition that the survey still is at `version` and
   * still counted as `previous`. Exactly once, whatever the retries and races.
   */
  async count(
    token: string,
    version: number,
    previous: CountedAnswer | undefined,
    counted: CountedAnswer,
    delta: Readonly<Record<string, number>>,
    keys: readonly { scope: string; period: string }[],
    /**
     * `testimonialShard`: the counted answer is a testimonial candidate (a promoter with a comment);
     * `commentStoreId`: it has a comment, listed among the store's latest comments.
     */
    sparse: { testimonialShard?: string; commentStoreId?: string } = {},
  ): Promise<void> {
    if (tables.aggregates === undefined) {
      throw new Error('count writes the aggregates: create the repository with the aggregates table');
    }
    const aggregatesTableName = tables.aggregates;
    const { testimonialShard, commentStoreId } = sparse;
    const set = [
      'counted = :counted',
      ...(testimonialShard ? ['testimonialShard = :testimonial'] : []),
      ...(commentStoreId ? ['commentStoreId = :commentStore'] : []),
    ];
    const remove = [
      'countShard',
      ...(testimonialShard ? [] : ['testimonialShard']),
      ...(commentStoreId ? [] : ['commentStoreId']),
    ];
    const entries = Object.entries(delta);
    const aggregateUpdates =
      entries.length === 0
        ? []
        : keys.map((key) => ({
            Update: {
              TableName: aggregatesTableName,
              Key: key,
              UpdateExpression: `ADD ${entries.map((_, index) => `#a${index} :d${index}`).join(', ')}`,
              ExpressionAttributeNames: Object.fromEntries(
                entries.map(([name], index) => [`#a${index}`, name]),
              ),
              ExpressionAttributeValues: Object.fromEntries(
                entries.map(([, amount], index) => [`:d${index}`, amount]),
              ),
            },
          }));
    try {
      await transactWrite(db, {
        TransactItems: [
          ...aggregateUpdates,
          {
            Update: {
              TableName: tables.surveys,
              Key: { token },
              UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
              ConditionExpression: `version = :version AND ${previous === undefined ? 'attribute_not_exists(counted)' : 'counted.version = :previousVersion'}`,
              ExpressionAttributeValues: {
                ':counted': counted,
                ':version': version,
                ...(previous !== undefined && { ':previousVersion': previous.version }),
                ...(testimonialShard && { ':testimonial': testimonialShard }),
                ...(commentStoreId && { ':commentStore': commentStoreId }),
              },
            },
          },
        ],
      });
    } catch (error) {
      if (isConditionFailure(error))
        throw new StaleAnswerError('survey changed while counting', { cause: error });
      throw error;
    }
  },

  /** Notes which answer the follow-up side was told about (the first detractor answer, or a change). */
  async noteFollowUp(token: string, score: number, answerKey: string, at: string): Promise<void> {
    await db.send(
      new UpdateCommand({
        TableName: tables.surveys,
        Key: { token },
        UpdateExpression:
          'SET followUpScore = :score, followUpAnswerKey = :key, followUpQueuedAt = if_not_exists(followUpQueuedAt, :at)',
        ExpressionAttributeValues: { ':score': score, ':key': answerKey, ':at': at },
      }),
    );
  },

  /** One page of answers recorded before `before` and not yet counted (lost counting tasks). */
  /** One page of testimonial candidates from one shard of the sparse `testimonials` index. */
  async queryTestimonials(shard: string, startKey?: Record<string, unknown>) {
    const page = await db.send(
      new QueryCommand({
        TableName: tables.surveys,
        IndexName: indexOf(surveysTable, 'testimonials'),
        KeyConditionExpression: 'testimonialShard = :shard',
        ExpressionAttributeValues: { ':shard': shard },
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      items: (page.Items ?? []).map((item) => ({
        surveyId: item.surveyId as string,
        customerId: item.customerId as string,
        storeId: item.storeId as string,
        score: (item.answer as StoredAnswer).score,
        comment: (item.answer as StoredAnswer).comment ?? '',
        answeredAt: item.answeredAt as string,
      })),
      nextKey: page.LastEvaluatedKey,
    };
  },

  /** A store's latest counted answers with a comment, newest first (the sparse `commentsByStore` index). */
  async latestComments(storeId: string, limit: number) {
    const page = await db.send(
      new QueryCommand({
        TableName: tables.surveys,
        IndexName: indexOf(surveysTable, 'commentsByStore'),
        KeyConditionExpression: 'commentStoreId = :store',
        ExpressionAttributeValues: { ':store': storeId },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => {
      const answer = item.answer as StoredAnswer;
      return {
        surveyId: item.surveyId as string,
        storeId,
        score: answer.score,
        comment: answer.comment ?? '',
        at: answer.at,
      };
    });
  },

  async queryUncounted(shard: string, before: string, limit: number, startKey?: Record<string, unknown>) {
    const page = await db.send(
      new QueryCommand({
        TableName: tables.surveys,
        IndexName: indexOf(surveysTable, 'answersToCount'),
        KeyConditionExpression: 'countShard = :shard AND answeredAt < :before',
        ExpressionAttributeValues: { ':shard': shard, ':before': before },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return {
      due: (page.Items ?? []).map((item) => ({ token: item.token as string })),
      nextKey: page.LastEvaluatedKey,
    };
  },
});

export type AnswerRepository = ReturnType<typeof createAnswerRepository>;
