import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DuplicateEmailError } from '../domain/errors';
import { type CustomerProfile, CustomerRecord } from '../schemas/customer';
import { backoff, chunk, updateFields } from './dynamodb';

export interface CustomerTables {
  readonly customers: string;
  readonly customerEmails: string;
}

/** Thrown when the customer changed between our read and our write; the caller re-reads and retries. */
export class ConcurrentCustomerChangeError extends Error {}

/**
 * The customer registry in DynamoDB. A customer's e-mail address is claimed in a second table in the
 * same transaction as the customer, so no two customers can ever share an address.
 */
export const createCustomerRepository = (db: DynamoDBDocumentClient, tables: CustomerTables) => {
  const profileUpdate = (profile: CustomerProfile, now: string) => ({
    TableName: tables.customers,
    Key: { customerId: profile.customerId },
    ...updateFields({
      email: profile.email,
      firstName: profile.firstName,
      lastName: profile.lastName,
      storeId: profile.storeId,
      locale: profile.locale,
      attributes: profile.attributes,
      updatedAt: now,
    }),
  });

  const emailClaim = (profile: CustomerProfile, now: string) => ({
    Put: {
      TableName: tables.customerEmails,
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
    const { Item } = await db.send(new GetCommand({ TableName: tables.customerEmails, Key: { email } }));
    return Item?.customerId as string | undefined;
  };

  return {
    async get(customerId: string): Promise<CustomerRecord | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: tables.customers, Key: { customerId }, ConsistentRead: true }),
      );
      return Item === undefined ? undefined : CustomerRecord.parse(Item);
    },

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

    /** Adds a new, subscribed customer and claims its e-mail address. */
    async create(profile: CustomerProfile, now: string): Promise<void> {
      const customer: CustomerRecord = {
        ...profile,
        contactStatus: 'subscribed',
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
    async updateProfile(profile: CustomerProfile, now: string): Promise<void> {
      const update = profileUpdate(profile, now);
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

    /** Moves a customer to a new e-mail address: claims the new one and releases the old one. */
    async changeEmail(profile: CustomerProfile, previousEmail: string, now: string): Promise<void> {
      const update = profileUpdate(profile, now);
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
              TableName: tables.customerEmails,
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
  };
};

export type CustomerRepository = ReturnType<typeof createCustomerRepository>;
