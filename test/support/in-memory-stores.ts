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

/** The account id the tests give the staff member with this address. */
export const accountOf = (email: string) => `sub-${email}`;

/** The store with each of its roles bound to the account of its address, as `closeloop staff sync` leaves it. */
export const withAccounts = (store: StoreRecord): StoreRecord => ({
  ...store,
  ...(store.managerEmail !== undefined && {
    managerAccount: { sub: accountOf(store.managerEmail), email: store.managerEmail },
  }),
  ...(store.regionalManagerEmail !== undefined && {
    regionalManagerAccount: { sub: accountOf(store.regionalManagerEmail), email: store.regionalManagerEmail },
  }),
});
