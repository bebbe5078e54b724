import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { aggregateKeysOf, periodsOf } from '../domain/aggregates';
import { dueShardOf } from '../domain/schedule';
import { consentDelta } from '../domain/testimonial-consent';
import type { StoredConsent } from '../schemas/consent';
import { isConditionFailure, transactWrite, updateIf } from './dynamodb';

export interface ConsentTables {
  readonly surveys: string;
  /** Where consents are counted (needed by `give` and `withdraw` only). */
  readonly aggregates?: string;
}

/** The survey changed between our read and our write (an answer, a consent, a withdrawal): read again. */
export class StaleConsentError extends Error {}

/**
 * Consents to quote on surveys, and the `consentedQuotes` count of the aggregates they are counted
 * in: every arrival and withdrawal of a consent writes the survey and its four aggregate items (the
 * store's and everyone's, day and month of `countedAt`) in one conditional transaction.
 */
export const createConsentRepository = (db: DynamoDBDocumentClient, tables: ConsentTables) => {
  const aggregateUpdates = (storeId: string, countedAt: string, amount: 1 | -1) => {
    const tableName = tables.aggregates;
    if (tableName === undefined) {
      throw new Error('a consent is counted: create the repository with the aggregates table');
    }
    return aggregateKeysOf(storeId, periodsOf(countedAt)).map((key) => ({
      Update: {
        TableName: tableName,
        Key: key,
        UpdateExpression: 'ADD #count :amount',
        ExpressionAttributeNames: { '#count': Object.keys(consentDelta(amount))[0] ?? '' },
        ExpressionAttributeValues: { ':amount': amount },
      },
    }));
  };

  const transact = async (items: Parameters<typeof transactWrite>[1]['TransactItems']) => {
    try {
      await transactWrite(db, { TransactItems: items });
    } catch (error) {
      if (isConditionFailure(error)) throw new StaleConsentError('survey changed', { cause: error });
      throw error;
    }
  };

  return {
    /**
     * Records a first consent and counts it, on condition that the survey holds none, still holds the
     * answer read (`version`) and is open at `now`. StaleConsentError otherwise.
     */
    async give(
      survey: { token: string; surveyId: string; storeId: string; version: number },
      consent: StoredConsent,
      now: string,
    ): Promise<void> {
      await transact([
        {
          Update: {
            TableName: tables.surveys,
            Key: { token: survey.token },
            UpdateExpression: 'SET consent = :consent, quoteShard = :shard, consentedAt = :at',
            ConditionExpression:
              'attribute_exists(#token) AND attribute_not_exists(consent) AND version = :version AND expiresAt > :now',
            ExpressionAttributeNames: { '#token': 'token' },
            ExpressionAttributeValues: {
              ':consent': consent,
              ':shard': dueShardOf(survey.surveyId),
              ':at': consent.givenAt,
              ':version': survey.version,
              ':now': now,
            },
          },
        },
        ...aggregateUpdates(survey.storeId, consent.countedAt, 1),
      ]);
    },

    /**
     * Replaces a standing consent (another signature, or a quote changed since): counted already, so
     * only the survey changes; on condition it still holds `previous` and the answer read.
     */
    async change(
      survey: { token: string; version: number },
      previous: StoredConsent,
      consent: StoredConsent,
      now: string,
    ): Promise<void> {
      const changed = await updateIf(db, {
        TableName: tables.surveys,
        Key: { token: survey.token },
        UpdateExpression: 'SET consent = :consent, consentedAt = :at',
        ConditionExpression:
          'consent.givenAt = :previous AND version = :version AND expiresAt > :now AND attribute_exists(quoteShard)',
        ExpressionAttributeValues: {
          ':consent': consent,
          ':at': consent.givenAt,
          ':previous': previous.givenAt,
          ':version': survey.version,
          ':now': now,
        },
      });
      if (!changed) throw new StaleConsentError('survey changed');
    },

    /**
     * Removes a standing consent and uncounts it (in the periods it was counted in), noting when; on
     * condition it is still the one read. StaleConsentError otherwise.
     */
    async withdraw(
      survey: { token: string; storeId: string },
      consent: Pick<StoredConsent, 'countedAt' | 'givenAt'>,
      at: string,
    ): Promise<void> {
      await transact([
        {
          Update: {
            TableName: tables.surveys,
            Key: { token: survey.token },
            UpdateExpression: 'SET consentWithdrawnAt = :at REMOVE consent, quoteShard, consentedAt',
            ConditionExpression: 'consent.givenAt = :givenAt AND consent.countedAt = :countedAt',
            ExpressionAttributeValues: {
              ':at': at,
              ':givenAt': consent.givenAt,
              ':countedAt': consent.countedAt,
            },
          },
        },
        ...aggregateUpdates(survey.storeId, consent.countedAt, -1),
      ]);
    },

    /**
     * Claims the sending of a consent's confirmation e-mail: true for one caller only, unless the claim
     * is older than `staleBefore` (its sender failed) or the e-mail went already.
     */
    claimMail: (token: string, givenAt: string, at: string, staleBefore: string) =>
      updateIf(db, {
        TableName: tables.surveys,
        Key: { token },
        UpdateExpression: 'SET consent.mailClaimedAt = :at',
        ConditionExpression:
          'consent.givenAt = :givenAt AND attribute_not_exists(consent.mailedAt) AND ' +
          '(attribute_not_exists(consent.mailClaimedAt) OR consent.mailClaimedAt < :stale)',
        ExpressionAttributeValues: { ':at': at, ':givenAt': givenAt, ':stale': staleBefore },
      }),

    /** Notes the confirmation e-mail sent (nothing if the consent changed or went meanwhile). */
    markMailed: (token: string, givenAt: string, at: string) =>
      updateIf(db, {
        TableName: tables.surveys,
        Key: { token },
        UpdateExpression: 'SET consent.mailedAt = :at',
        ConditionExpression: 'consent.givenAt = :givenAt',
        ExpressionAttributeValues: { ':at': at, ':givenAt': givenAt },
      }),

    /** Gives up a claim whose e-mail could not be sent, so the next submit sends it. */
    releaseMail: (token: string, givenAt: string) =>
      updateIf(db, {
        TableName: tables.surveys,
        Key: { token },
        UpdateExpression: 'REMOVE consent.mailClaimedAt',
        ConditionExpression: 'consent.givenAt = :givenAt AND attribute_not_exists(consent.mailedAt)',
        ExpressionAttributeValues: { ':givenAt': givenAt },
      }),
  };
};

export type ConsentRepository = ReturnType<typeof createConsentRepository>;
