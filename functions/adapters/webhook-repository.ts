import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { WebhookAttemptRecord, WebhookEndpointRecord, type WebhookSecretRecord } from '../schemas/webhooks';
import { scanAll } from './dynamodb';

/** Delivery attempts are logged for this long. */
const logSeconds = 14 * 86_400;

/** Webhook endpoints (a handful per business: scanned whole) and their delivery log. */
export const createWebhookRepository = (
  db: DynamoDBDocumentClient,
  tables: { endpoints: string; deliveries?: string },
) => {
  const deliveriesTable = () => {
    if (tables.deliveries === undefined) throw new Error('this webhook repository has no deliveries table');
    return tables.deliveries;
  };
  return {
    async get(endpointId: string): Promise<WebhookEndpointRecord | undefined> {
      const { Item } = await db.send(
        new GetCommand({ TableName: tables.endpoints, Key: { endpointId }, ConsistentRead: true }),
      );
      return Item === undefined ? undefined : WebhookEndpointRecord.parse(Item);
    },

    /** Every endpoint, oldest first. */
    async listAll(): Promise<WebhookEndpointRecord[]> {
      const endpoints = (await scanAll(db, tables.endpoints)).map((item) =>
        WebhookEndpointRecord.parse(item),
      );
      return endpoints.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    /** Adds an endpoint under a fresh id (never overwrites one). */
    async add(endpoint: WebhookEndpointRecord): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: tables.endpoints,
          Item: endpoint,
          ConditionExpression: 'attribute_not_exists(endpointId)',
        }),
      );
    },

    /** Removes an endpoint; false if there was none with this id. */
    async remove(endpointId: string): Promise<boolean> {
      const { Attributes } = await db.send(
        new DeleteCommand({ TableName: tables.endpoints, Key: { endpointId }, ReturnValues: 'ALL_OLD' }),
      );
      return Attributes !== undefined;
    },

    /**
     * Replaces an endpoint's secrets, on condition they are still `previous` (two rotations at once
     * cannot lose a secret); false when they changed or the endpoint is gone.
     */
    async replaceSecrets(
      endpointId: string,
      previous: readonly z.infer<typeof WebhookSecretRecord>[],
      secrets: readonly z.infer<typeof WebhookSecretRecord>[],
    ): Promise<boolean> {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tables.endpoints,
            Key: { endpointId },
            UpdateExpression: 'SET secrets = :secrets',
            ConditionExpression: 'attribute_exists(endpointId) AND secrets = :previous',
            ExpressionAttributeValues: { ':secrets': secrets, ':previous': previous },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    /** Logs one delivery attempt. */
    async logAttempt(attempt: WebhookAttemptRecord): Promise<void> {
      await db.send(
        new PutCommand({
          TableName: deliveriesTable(),
          Item: {
            ...attempt,
            attemptKey: `${attempt.at}#${attempt.eventId}#${String(attempt.attempt).padStart(3, '0')}`,
            expiration: Math.floor(Date.parse(attempt.at) / 1000) + logSeconds,
          },
        }),
      );
    },

    /** An endpoint's latest attempts, newest first. */
    async recentAttempts(endpointId: string, limit: number): Promise<WebhookAttemptRecord[]> {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: deliveriesTable(),
          KeyConditionExpression: 'endpointId = :endpointId',
          ExpressionAttributeValues: { ':endpointId': endpointId },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map((item) => WebhookAttemptRecord.parse(item));
    },
  };
};

export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
