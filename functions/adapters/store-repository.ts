import { type DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type StoreProfile, StoreRecord } from '../schemas/store';
import { updateFields, updateIf } from './dynamodb';

/** Stores in DynamoDB. A chain has hundreds or thousands of stores, so listing them all is cheap. */
export const createStoreRepository = (db: DynamoDBDocumentClient, tableName: string) => ({
  async get(storeId: string): Promise<StoreRecord | undefined> {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { storeId } }));
    return Item === undefined ? undefined : StoreRecord.parse(Item);
  },

  /** Every store (a chain has hundreds or thousands: one paginated scan). */
  async listAll(): Promise<StoreRecord[]> {
    const stores: StoreRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
      stores.push(...(page.Items ?? []).map((item) => StoreRecord.parse(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return stores;
  },

  /** Claims the digest of `date` for a store; false if it was already claimed (sent or queued). */
  claimDigest: (storeId: string, date: string) =>
    updateIf(db, {
      TableName: tableName,
      Key: { storeId },
      UpdateExpression: 'SET lastDigestDate = :date',
      ConditionExpression:
        'attribute_exists(storeId) AND (attribute_not_exists(lastDigestDate) OR lastDigestDate < :date)',
      ExpressionAttributeValues: { ':date': date },
    }),

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
            language: store.language,
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

/**
 * A store reader that keeps each store it read for the life of the container (stores change rarely).
 * A failed read (a throttled request) is not kept: it would fail every later task of the store.
 */
export const cachedStores = (stores: Pick<StoreRepository, 'get'>): Pick<StoreRepository, 'get'> => {
  const cache = new Map<string, ReturnType<StoreRepository['get']>>();
  return {
    get: (storeId) => {
      let store = cache.get(storeId);
      if (store === undefined) {
        store = stores.get(storeId);
        cache.set(storeId, store);
        store.catch(() => cache.delete(storeId));
      }
      return store;
    },
  };
};
