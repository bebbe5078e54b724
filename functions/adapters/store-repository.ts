import { type DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type StoreProfile, StoreRecord } from '../schemas/store';
import { updateFields } from './dynamodb';

/** Stores in DynamoDB. A chain has hundreds or thousands of stores, so listing them all is cheap. */
export const createStoreRepository = (db: DynamoDBDocumentClient, tableName: string) => ({
  async get(storeId: string): Promise<StoreRecord | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { storeId } }));
    return Item === undefined ? undefined : StoreRecord.parse(Item);
  },

  async listIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: tableName, ProjectionExpression: 'storeId', ExclusiveStartKey }),
      );
      for (const item of page.Items ?? []) ids.add(item.storeId as string);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return ids;
  },

  /** Creates or replaces a store's profile, keeping the date it was first imported. */
  async upsert(store: StoreProfile, now: string): Promise<'created' | 'updated'> {
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { storeId: store.storeId },
        ...updateFields(
          {
            name: store.name,
            managerEmail: store.managerEmail,
            regionalManagerEmail: store.regionalManagerEmail,
            timezone: store.timezone,
            updatedAt: now,
          },
          { createdAt: now },
        ),
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return Attributes?.createdAt === undefined ? 'created' : 'updated';
  },
});

export type StoreRepository = ReturnType<typeof createStoreRepository>;
