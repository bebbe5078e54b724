import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateEmailError } from '../domain/errors';
import { dueShardOf } from '../domain/schedule';
import { segmentShardOf } from '../domain/segments';
import { customersTable, indexOf } from '../resources/tables';
import type { StoredAnswer } from '../schemas/answer';
import { type ContactStatus, type CustomerProfile, CustomerRecord } from '../schemas/customer';
import { backoff, chunk, updateFields, updateIf } from './dynamodb';

export interface CustomerTables {
  readonly customers: string;
  /** Only for what claims, finds or frees an e-mail address (imports, bounces, erasure). */
  readonly customerEmails?: string;
}

/** Thrown when the customer changed between our read and our write; the caller re-reads and retries. */
export class ConcurrentCustomerChangeError extends Error {}

/**
 * One customer, read consistently: all that the functions which only read a customer (follow-ups)
 * need, without bundling the registry's writes.
 */
export const getCustomer = async (
  db: DynamoDBDocumentClient,
  table: string,
  customerId: string,
): Promise<CustomerRecord | undefined> => {
  const { Item } = await db.send(
    new GetCommand({ TableName: table, Key: { customerId }, ConsistentRead: true }),
  );
  return Item === undefined ? undefined : CustomerRecord.parse(Item);
};

/**
 * The customer registry in DynamoDB. A customer's e-mail address is claimed in a second table in the
 * same transaction as the customer, so no two customers can ever share an address.
 */
export const createCustomerRepository = (db: DynamoDBDocumentClient, tables: CustomerTables) => {
  const emailsTable = () => {
    if (tables.customerEmails === undefined)
      throw new Error('e-mail addresses live in their own table: create the repository with customerEmails');
    return tables.customerEmails;
  };
  const profileUpdate = (profile: CustomerProfile, now: string, importMark?: string) => ({
    TableName: tables.customers,
    Key: { customerId: profile.customerId },
    ...updateFields({
      email: profile.email,
      firstName: profile.firstName,
      lastName: profile.lastName,
      storeId: profile.storeId,
      locale: profile.locale,
      phone: profile.phone,
      timezone: profile.timezone,
      attributes: profile.attributes,
      updatedAt: now,
      ...(importMark !== undefined && { importMark }),
    }),
  });

  const emailClaim = (profile: CustomerProfile, now: string) => ({
    Put: {
      TableName: emailsTable(),
      Item: { email: profile.email, customerId: profile.customerId, claimedAt: now },
      ConditionExpression: 'attribute_not_exists(email) OR customerId = :customerId',
      ExpressionAttributeValues: { ':customerId': profile.customerId },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  });

  /** Runs a transaction whose item `claimIndex` claims an e-mail; maps failures to typed errors. */
  const transactWithClaim = async (
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
    claimIndex: number,
    profile: CustomerProfile,
  ) => {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[claimIndex]?.Code === 'ConditionalCheckFailed') {
        const owner = reasons[claimIndex]?.Item?.customerId?.S ?? (await emailOwner(profile.email));
        throw new DuplicateEmailError(profile.email, owner);
      }
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
        throw new ConcurrentCustomerChangeError(`customer ${profile.customerId} changed during the write`, {
          cause: error,
        });
      }
      throw error;
    }
  };

  const emailOwner = async (email: string): Promise<string | undefined> => {
    const { Item } = await db.send(new GetCommand({ TableName: emailsTable(), Key: { email } }));
    return Item?.customerId as string | undefined;
  };

  const conditionalUpdate = (input: UpdateCommandInput) => updateIf(db, input);

  return {
    get: (customerId: string) => getCustomer(db, tables.customers, customerId),

    /** Reads up to any number of customers, 100 keys per request, retrying unprocessed keys. */
    async getMany(customerIds: readonly string[]): Promise<Map<string, CustomerRecord>> {
      const found = new Map<string, CustomerRecord>();
      for (const ids of chunk(customerIds, 100)) {
        let keys: Record<string, unknown>[] = ids.map((customerId) => ({ customerId }));
        for (let attempt = 0; keys.length > 0; attempt++) {
          if (attempt > 0) await backoff(attempt);
          const { Responses, UnprocessedKeys } = await db.send(
            new BatchGetCommand({
              RequestItems: { [tables.customers]: { Keys: keys, ConsistentRead: true } },
            }),
          );
          for (const item of Responses?.[tables.customers] ?? []) {
            const customer = CustomerRecord.parse(item);
            found.set(customer.customerId, customer);
          }
          keys = UnprocessedKeys?.[tables.customers]?.Keys ?? [];
        }
      }
      return found;
    },

    emailOwner,

    /**
     * Adds a new, subscribed customer, due for a first survey at `firstSurveyAt`, and claims its e-mail.
     * `importMark`: the bulk import row that wrote it (see `importCustomers`).
     */
    async create(
      profile: CustomerProfile,
      now: string,
      firstSurveyAt: string,
      importMark?: string,
    ): Promise<void> {
      const customer: CustomerRecord = {
        ...profile,
        ...(importMark !== undefined && { importMark }),
        contactStatus: 'subscribed',
        nextSurveyAt: firstSurveyAt,
        dueShard: dueShardOf(profile.customerId),
        surveyHistory: [],
        createdAt: now,
        updatedAt: now,
      };
      await transactWithClaim(
        [
          emailClaim(profile, now),
          {
            Put: {
              TableName: tables.customers,
              Item: customer,
              ConditionExpression: 'attribute_not_exists(customerId)',
            },
          },
        ],
        0,
        profile,
      );
    },

    /**
     * Replaces the CRM-owned fields of a customer whose e-mail is unchanged. Contact status, survey
     * history and scores are left alone.
     */
    async updateProfile(profile: CustomerProfile, now: string, importMark?: string): Promise<void> {
      const update = profileUpdate(profile, now, importMark);
      try {
        await db.send(
          new UpdateCommand({
            ...update,
            ConditionExpression: 'email = :expectedEmail',
            ExpressionAttributeValues: {
              ...update.ExpressionAttributeValues,
              ':expectedEmail': profile.email,
            },
          }),
        );
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') {
          throw new ConcurrentCustomerChangeError(`customer ${profile.customerId} changed during the write`, {
            cause: error,
          });
        }
        throw error;
      }
    },

    /** One page of customers whose next survey is due by `until`, from one shard of the sparse index. */
    async queryDue(shard: string, until: string, limit: number, startKey?: Record<string, unknown>) {
      const page = await db.send(
        new QueryCommand({
          TableName: tables.customers,
          IndexName: indexOf(customersTable, 'dueForSurvey'),
          KeyConditionExpression: 'dueShard = :shard AND nextSurveyAt <= :until',
          ExpressionAttributeValues: { ':shard': shard, ':until': until },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        due: (page.Items ?? []).map((item) => ({
          customerId: item.customerId as string,
          nextSurveyAt: item.nextSurveyAt as string,
        })),
        nextKey: page.LastEvaluatedKey,
      };
    },

    /**
     * Moves a due customer's next survey to `nextSurveyAt`, if it is still the `seenDue` we read and the
     * customer is still subscribed. Returns false when someone changed it first.
     */
    advanceSchedule: (customerId: string, seenDue: string, nextSurveyAt: string) =>
      conditionalUpdate({
        TableName: tables.customers,
        Key: { customerId },
        UpdateExpression: 'SET nextSurveyAt = :next',
        ConditionExpression: 'nextSurveyAt = :seen AND attribute_exists(dueShard)',
        ExpressionAttributeValues: { ':next': nextSurveyAt, ':seen': seenDue },
      }),

    /**
     * Records a survey sent for a cycle: history, last survey date and the next due date, once per
     * cycle (a repeated call for the same cycle changes nothing and returns false).
     */
    recordSurveySent: (
      customerId: string,
      sent: { surveyId: string; cycleAt: string; sentAt: string; nextSurveyAt: string },
    ) =>
      conditionalUpdate({
        TableName: tables.customers,
        Key: { customerId },
        UpdateExpression:
          'SET lastSurveyedAt = :sentAt, lastCycleAt = :cycleAt, nextSurveyAt = :next, ' +
          'surveyHistory = list_append(if_not_exists(surveyHistory, :empty), :entry), updatedAt = :sentAt',
        ConditionExpression:
          'attribute_exists(customerId) AND (attribute_not_exists(lastCycleAt) OR lastCycleAt <> :cycleAt)',
        ExpressionAttributeValues: {
          ':sentAt': sent.sentAt,
          ':cycleAt': sent.cycleAt,
          ':next': sent.nextSurveyAt,
          ':empty': [],
          ':entry': [{ surveyId: sent.surveyId, sentAt: sent.sentAt }],
        },
      }),

    /**
     * One page of a segment's customers from one partition of the sparse `segments` index, optionally
     * only those whose latest answer came in [from, to] (ISO instants).
     */
    async querySegment(
      segmentShard: string,
      range: { from?: string; to?: string },
      startKey?: Record<string, unknown>,
      limit = 500,
    ) {
      const from = range.from ?? '0000';
      const to = range.to ?? '9999';
      const page = await db.send(
        new QueryCommand({
          TableName: tables.customers,
          IndexName: indexOf(customersTable, 'segments'),
          KeyConditionExpression: 'segmentShard = :shard AND latestScoreAt BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':shard': segmentShard, ':from': from, ':to': to },
          ExclusiveStartKey: startKey,
          Limit: limit,
        }),
      );
      return {
        customers: (page.Items ?? []).map((item) => CustomerRecord.parse(item)),
        nextKey: page.LastEvaluatedKey,
      };
    },

    /**
     * Feeds an answer back into the customer record: the score on the survey's history entry, and the
     * latest score unless a later answer is already there. Safe to repeat.
     */
    /** Returns the survey history as read (the win-back looks at the survey before this one). */
    async recordScore(
      customerId: string,
      surveyId: string,
      answer: StoredAnswer,
    ): Promise<readonly { surveyId: string; score?: number }[]> {
      const { Item } = await db.send(
        new GetCommand({
          TableName: tables.customers,
          Key: { customerId },
          ProjectionExpression: 'surveyHistory',
        }),
      );
      const index = ((Item?.surveyHistory ?? []) as { surveyId: string }[]).findIndex(
        (entry) => entry.surveyId === surveyId,
      );
      const entry = index < 0 ? undefined : `surveyHistory[${index}]`;
      // The latest answer, and the sparse `segments` index entry that puts the customer in its segment.
      const latest = [
        'latestScore = :score',
        'latestScoreAt = :at',
        'latestSurveyId = :surveyId',
        'latestReasons = :reasons',
        'segmentShard = :segment',
        ...(answer.comment === undefined ? [] : ['latestComment = :comment']),
      ];
      const update = (withLatest: boolean) =>
        conditionalUpdate({
          TableName: tables.customers,
          Key: { customerId },
          UpdateExpression: `SET ${[
            ...(withLatest ? latest : []),
            ...(entry ? [`${entry}.score = :score`, `${entry}.respondedAt = :at`] : []),
          ].join(', ')}${withLatest && answer.comment === undefined ? ' REMOVE latestComment' : ''}`,
          ConditionExpression: [
            'attribute_exists(customerId)',
            ...(entry ? [`${entry}.surveyId = :surveyId`] : []),
            ...(withLatest ? ['(attribute_not_exists(latestScoreAt) OR latestScoreAt <= :at)'] : []),
          ].join(' AND '),
          ExpressionAttributeValues: {
            ':score': answer.score,
            ':at': answer.at,
            ...((entry || withLatest) && { ':surveyId': surveyId }),
            ...(withLatest && {
              ':reasons': answer.reasons,
              ':segment': segmentShardOf(customerId, answer.score),
              ...(answer.comment !== undefined && { ':comment': answer.comment }),
            }),
          },
        });
      if (!(await update(true)) && entry) await update(false);
      return (Item?.surveyHistory ?? []) as { surveyId: string; score?: number }[];
    },

    /**
     * Marks a customer unsubscribed, bounced or complained, and takes them out of the due index so
     * they are never scheduled again. Returns false when the customer is unknown or already had it.
     */
    setContactStatus: (customerId: string, status: Exclude<ContactStatus, 'subscribed'>, at: string) =>
      conditionalUpdate({
        TableName: tables.customers,
        Key: { customerId },
        UpdateExpression:
          'SET contactStatus = :status, contactStatusChangedAt = :at, updatedAt = :at REMOVE dueShard',
        ConditionExpression: 'attribute_exists(customerId) AND contactStatus <> :status',
        ExpressionAttributeValues: { ':status': status, ':at': at },
      }),

    /** Moves a customer to a new e-mail address: claims the new one and releases the old one. */
    async changeEmail(
      profile: CustomerProfile,
      previousEmail: string,
      now: string,
      importMark?: string,
    ): Promise<void> {
      const update = profileUpdate(profile, now, importMark);
      await transactWithClaim(
        [
          emailClaim(profile, now),
          {
            Update: {
              ...update,
              ConditionExpression: 'email = :previousEmail',
              ExpressionAttributeValues: {
                ...update.ExpressionAttributeValues,
                ':previousEmail': previousEmail,
              },
            },
          },
          {
            Delete: {
              TableName: emailsTable(),
              Key: { email: previousEmail },
              ConditionExpression: 'attribute_not_exists(email) OR customerId = :customerId',
              ExpressionAttributeValues: { ':customerId': profile.customerId },
            },
          },
        ],
        0,
        profile,
      );
    },

    /** A customer's item exactly as stored, every attribute included (for a privacy export). */
    async readItem(customerId: string): Promise<Record<string, unknown> | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: tables.customers, Key: { customerId }, ConsistentRead: true }),
      );
      return Item;
    },

    /** The claim of an e-mail address exactly as stored (`email`, `customerId`, `claimedAt`). */
    async readEmailClaim(email: string): Promise<Record<string, unknown> | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: emailsTable(), Key: { email }, ConsistentRead: true }),
      );
      return Item;
    },

    /**
     * Deletes a customer and releases its e-mail claim in one transaction: the claim only if it still
     * names this customer, the customer only if its address is still `email`. A claim held by someone
     * else is left alone (the customer is deleted anyway); a changed address is a
     * `ConcurrentCustomerChangeError` (read again and retry). Deleting what is gone already is a no-op.
     */
    async deleteWithClaim(customerId: string, email: string): Promise<void> {
      const deleteCustomer = {
        Delete: {
          TableName: tables.customers,
          Key: { customerId },
          ConditionExpression: 'attribute_not_exists(customerId) OR email = :email',
          ExpressionAttributeValues: { ':email': email },
        },
      };
      const releaseClaim = {
        Delete: {
          TableName: emailsTable(),
          Key: { email },
          ConditionExpression: 'attribute_not_exists(email) OR customerId = :customerId',
          ExpressionAttributeValues: { ':customerId': customerId },
        },
      };
      const changed = (error: unknown) =>
        new ConcurrentCustomerChangeError(`customer ${customerId} changed during its erasure`, {
          cause: error,
        });
      try {
        await db.send(new TransactWriteCommand({ TransactItems: [releaseClaim, deleteCustomer] }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [claim, customer] = error.CancellationReasons ?? [];
        if (customer?.Code === 'ConditionalCheckFailed') throw changed(error);
        if (claim?.Code !== 'ConditionalCheckFailed') throw error;
      }
      // The address is claimed by another customer now: delete ours alone.
      try {
        await db.send(new TransactWriteCommand({ TransactItems: [deleteCustomer] }));
      } catch (error) {
        if (error instanceof TransactionCanceledException) throw changed(error);
        throw error;
      }
    },
  };
};

export type CustomerRepository = ReturnType<typeof createCustomerRepository>;
