import type { StoreRecord } from '../../functions/schemas/store';

/** The stores table in memory, behind `get` and `listAll`. */
export const createStoreTable = (...stores: StoreRecord[]) => {
  const byId = new Map(stores.map((store) => [store.storeId, structuredClone(store)]));
  return {
    stores: byId,
    repository: {
      get: async (storeId: string) => structuredClone(byId.get(storeId)),
      listAll: async () => [...byId.values()].map((store) => structuredClone(store)),
    },
  };
};

/** Store S1, Lyon, with a manager and a regional manager. */
export const aStore = (overrides: Partial<StoreRecord> = {}): StoreRecord => ({
  storeId: 'S1',
  name: 'Lyon',
  managerEmail: 'manager.s1@stores.example.com',
  regionalManagerEmail: 'region@stores.example.com',
  timezone: 'Europe/Paris',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});
