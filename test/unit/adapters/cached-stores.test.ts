import { describe, expect, it } from 'vitest';
import { cachedStores } from '../../../functions/adapters/store-repository';
import type { StoreRecord } from '../../../functions/schemas/store';

describe('cachedStores', () => {
  it('reads each store once, and reads again after a failed read', async () => {
    let reads = 0;
    const store = { storeId: 'S1', name: 'Main Street' } as StoreRecord;
    const stores = cachedStores({
      get: async () => {
        reads++;
        if (reads === 1) throw new Error('throttled');
        return store;
      },
    });
    await expect(stores.get('S1')).rejects.toThrow('throttled');
    expect(await stores.get('S1')).toBe(store);
    expect(await stores.get('S1')).toBe(store);
    expect(reads).toBe(2);
  });
});
