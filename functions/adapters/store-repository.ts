import { type DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AccountBinding,
  type StoreProfile,
  StoreRecord,
  type StoreRole,
  storeRoles,
} from '../schemas/store';
import { updateFields, updateIf } from './dynamodb';
import { listStoreIds } from './store-ids';

/** Each role's address and account binding attributes on a store. */
const addressOf = { manager: 'managerEmail', regionalManager: 'regionalManagerEmail' } as const;
const bindingOf = { manager: 'managerAccount', regionalManager: 'regionalManagerAccount' } as const;

/**
 * Removes a binding that no longer matches the role's address; false if the store meanwhile holds
 * another binding, or the role has this address again (then the binding is valid and stays).
 */
const unbindAccount = (
  db: DynamoDBDocumentClient,
  tableName: string,
  storeId: string,
  role: StoreRole,
  binding: AccountBinding,
) =>
  updateIf(db, {
    TableName: tableName,
    Key: { storeId },
    UpdateExpression: 'REMOVE #binding',
    ConditionExpression:
      '#binding.#sub = :sub AND #binding.#email = :email AND (attribute_not_exists(#address) OR #address <> :email)',
    ExpressionAttributeNames: {
      '#binding': bindingOf[role],
      '#address': addressOf[role],
      '#sub': 'sub',
      '#email': 'email',
    },
    ExpressionAttributeValues: { ':sub': binding.sub, ':email': binding.email },
  });

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

  listIds: () => listStoreIds(db, tableName),

  /**
   * Creates or replaces a store's profile, keeping the date it was first imported. A role whose
   * address changed loses its account binding (the old manager's access ends now; `staff sync`
   * binds the new one).
   */
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
            sendWindow: store.sendWindow,
            testimonialTarget: store.testimonialTarget,
            updatedAt: now,
          },
          { createdAt: now },
        ),
        ReturnValues: 'ALL_OLD',
      }),
    );
    for (const role of storeRoles) {
      const binding = Attributes?.[bindingOf[role]] as AccountBinding | undefined;
      if (binding !== undefined && binding.email !== store[addressOf[role]])
        await unbindAccount(db, tableName, store.storeId, role, binding);
    }
    return Attributes?.createdAt === undefined ? 'created' : 'updated';
  },

  /**
   * Binds a store role to an account, on condition the role still has the address the account was
   * found for; false when the address changed meanwhile (an import ran: sync again).
   */
  bindAccount: (storeId: string, role: StoreRole, binding: AccountBinding) =>
    updateIf(db, {
      TableName: tableName,
      Key: { storeId },
      UpdateExpression: 'SET #binding = :binding',
      ConditionExpression: '#address = :address',
      ExpressionAttributeNames: { '#binding': bindingOf[role], '#address': addressOf[role] },
      ExpressionAttributeValues: { ':binding': binding, ':address': binding.email },
    }),

  unbindAccount: (storeId: string, role: StoreRole, binding: AccountBinding) =>
    unbindAccount(db, tableName, storeId, role, binding),
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
