import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { chatChannelsTable, indexOf } from '../resources/tables';
import { ChatChannelRecord } from '../schemas/chat';
import { scanAll } from './dynamodb';

/** The chat channels registry: a handful of webhooks per chain, found by scope through `byScope`. */
export const createChatChannelRepository = (db: DynamoDBDocumentClient, tableName: string) => ({
  async get(channelId: string): Promise<ChatChannelRecord | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { channelId } }));
    return Item === undefined ? undefined : ChatChannelRecord.parse(Item);
  },

  /** The channels of these scopes, in the order of the scopes (most specific first), oldest first within one. */
  async forScopes(scopeKeys: readonly string[]): Promise<ChatChannelRecord[]> {
    const perScope = await Promise.all(
      scopeKeys.map(async (scopeKey) => {
        const channels: ChatChannelRecord[] = [];
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await db.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: indexOf(chatChannelsTable, 'byScope'),
              KeyConditionExpression: 'scopeKey = :scopeKey',
              ExpressionAttributeValues: { ':scopeKey': scopeKey },
              ExclusiveStartKey,
            }),
          );
          channels.push(...(page.Items ?? []).map((item) => ChatChannelRecord.parse(item)));
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
        return channels.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      }),
    );
    return perScope.flat();
  },

  /** Every channel (a chain has a handful: one paginated scan). */
  async listAll(): Promise<ChatChannelRecord[]> {
    const channels = (await scanAll(db, tableName)).map((item) => ChatChannelRecord.parse(item));
    return channels.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  },

  /** Adds a channel under a fresh id (never overwrites one). */
  async add(channel: ChatChannelRecord): Promise<void> {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: channel,
        ConditionExpression: 'attribute_not_exists(channelId)',
      }),
    );
  },

  /** Removes a channel; false if there was none with this id. */
  async remove(channelId: string): Promise<boolean> {
    const { Attributes } = await db.send(
      new DeleteCommand({ TableName: tableName, Key: { channelId }, ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  },
});

export type ChatChannelRepository = ReturnType<typeof createChatChannelRepository>;
