import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { MAX_ANSWERS } from '../domain/answer-trust';
import { indexOf, surveysTable } from '../resources/tables';
import type { CountedAnswer, StoredAnswer, Verdict } from '../schemas/answer';
import { SurveyRecord } from '../schemas/survey';
import type { WinBackBaseline } from '../schemas/win-back';
import { isConditionFailure, transactWrite } from './dynamodb';

export interface AnswerTables {
  readonly surveys: string;
  /** Only to count answers (the survey page records them without it). */
  readonly aggregates?: string;
}

/** What counting a survey's answers decided, to be written at once (see `settle`). */
export interface Settlement {
  /** The survey's version as read: no answer was recorded since. */
  readonly version: number;
  /** What the aggregates reflect of the survey, as read. */
  readonly previous: CountedAnswer | undefined;
  /**
   * The answer that counts from now on, when it changes; `testimonialShard` when it is a testimonial
   * candidate (a promoter with a comment), `commentStoreId` when it has a comment.
   */
  readonly counting?: {
    readonly counted: CountedAnswer;
    readonly answer: StoredAnswer;
    readonly testimonialShard?: string;
    readonly commentStoreId?: string;
    /** Set with the first count: where the case of the customer's previous (detractor) survey stood. */
    readonly winBack?: WinBackBaseline;
  };
  /** Verdicts reached, by index in the survey's answers. */
  readonly verdicts: ReadonlyMap<number, Verdict>;
  /** What to add to each aggregate item. */
  readonly deltas: readonly { scope: string; period: string; delta: Readonly<Record<string, number>> }[];
  /** No answer is held any more: the survey leaves the `answersToCount` index. */
  readonly settled: boolean;
}

/** Thrown when the survey changed between our read and our write; the caller reads again. */
export class StaleAnswerError extends Error {}

/** Answers on surveys, and the exact aggregates they are counted into. */
export const createAnswerRepository = (db: DynamoDBDocumentClient, tables: AnswerTables) => ({
  /**
   * Appends an answer to the survey's answers, in one conditional write with no read before it: the
   * survey must exist, be open, hold fewer than `MAX_ANSWERS` answers, and not have this very answer
   * as its latest (a double click). The version goes up by one atomically, and the survey enters the
   * `answersToCount` index until its answers are decided and counted. On refusal, says why from the
   * item as it was.
   */
  async record(
    token: string,
    answer: StoredAnswer,
    answerKey: string,
    countShard: string,
  ): Promise<
    | { outcome: 'recorded'; survey: SurveyRecord }
    | { outcome: 'duplicate'; survey: SurveyRecord }
    | { outcome: 'full'; survey: SurveyRecord }
    | { outcome: 'expired' }
    | { outcome: 'missing' }
  > {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tables.surveys,
          Key: { token },
          UpdateExpression:
            'SET answerKey = :key, version = if_not_exists(version, :zero) + :one, ' +
            'answeredAt = :at, countShard = :shard, firstAnsweredAt = if_not_exists(firstAnsweredAt, :at), ' +
            'answers = list_append(if_not_exists(answers, :empty), :answers)',
          ConditionExpression:
            'attribute_exists(#token) AND expiresAt > :at AND (attribute_not_exists(answerKey) OR answerKey <> :key) ' +
            'AND (attribute_not_exists(answers) OR size(answers) < :max)',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: {
            ':key': answerKey,
            ':zero': 0,
            ':one': 1,
            ':at': answer.at,
            ':shard': countShard,
            ':empty': [],
            ':answers': [answer],
            ':max': MAX_ANSWERS,
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
      if (survey.answerKey === answerKey) return { outcome: 'duplicate', survey };
      return { outcome: 'full', survey };
    }
  },

  /** Notes that the invitation's hidden link was fetched, which no person does: a link scanner. */
  async noteHoneypot(token: string, at: string): Promise<boolean> {
    try {
      await db.send(
        new UpdateCommand({
          TableName: tables.surveys,
          Key: { token },
          UpdateExpression: 'SET honeypotAt = :at',
          ConditionExpression: 'attribute_exists(#token)',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  /**
   * Writes what counting decided, in one transaction, on condition that the survey is still at the
   * `version` read and still counted as `previous`: the verdicts reached, the answer that now counts
   * (with the survey marked responded and its reminder dropped), each aggregate's change, and, once no
   * answer is held any more, the survey's exit from the `answersToCount` index. Exactly once,
   * whatever the retries and races.
   */
  async settle(token: string, settlement: Settlement): Promise<void> {
    if (tables.aggregates === undefined) {
      throw new Error('settle writes the aggregates: create the repository with the aggregates table');
    }
    const aggregatesTableName = tables.aggregates;
    const { version, previous, counting, verdicts, deltas, settled } = settlement;
    const values: Record<string, unknown> = { ':version': version };
    const names: Record<string, string> = {};
    const set: string[] = [];
    const remove: string[] = [];
    for (const [index, verdict] of verdicts) {
      set.push(`answers[${index}].verdict = :v${index}`);
      values[`:v${index}`] = verdict;
    }
    if (counting !== undefined) {
      const { testimonialShard, commentStoreId } = counting;
      set.push('counted = :counted', 'answer = :answer', '#status = :responded');
      names['#status'] = 'status';
      Object.assign(values, {
        ':counted': counting.counted,
        ':answer': counting.answer,
        ':responded': 'responded',
      });
      remove.push('reminderShard');
      if (testimonialShard) {
        set.push('testimonialShard = :testimonial');
        values[':testimonial'] = testimonialShard;
      } else remove.push('testimonialShard');
      if (commentStoreId) {
        set.push('commentStoreId = :commentStore');
        values[':commentStore'] = commentStoreId;
      } else remove.push('commentStoreId');
      if (counting.winBack) {
        set.push('winBack = :winBack');
        values[':winBack'] = counting.winBack;
      }
    }
    if (settled) remove.push('countShard');
    if (set.length === 0 && remove.length === 0) return;
    if (previous !== undefined) values[':previousVersion'] = previous.version;
    const aggregateUpdates = deltas
      .filter(({ delta }) => Object.keys(delta).length > 0)
      .map(({ scope, period, delta }) => {
        const entries = Object.entries(delta);
        return {
          Update: {
            TableName: aggregatesTableName,
            Key: { scope, period },
            UpdateExpression: `ADD ${entries.map((_, index) => `#a${index} :d${index}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(
              entries.map(([name], index) => [`#a${index}`, name]),
            ),
            ExpressionAttributeValues: Object.fromEntries(
              entries.map(([, amount], index) => [`:d${index}`, amount]),
            ),
          },
        };
      });
    try {
      await transactWrite(db, {
        TransactItems: [
          ...aggregateUpdates,
          {
            Update: {
              TableName: tables.surveys,
              Key: { token },
              UpdateExpression: [
                ...(set.length > 0 ? [`SET ${set.join(', ')}`] : []),
                ...(remove.length > 0 ? [`REMOVE ${remove.join(', ')}`] : []),
              ].join(' '),
              ConditionExpression: `version = :version AND ${previous === undefined ? 'attribute_not_exists(counted)' : 'counted.version = :previousVersion'}`,
              ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
              ExpressionAttributeValues: values,
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

  /** One page of answers recorded before `before` and not yet counted (lost counting tasks). */
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
