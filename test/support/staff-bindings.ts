import type { StoreRepository } from '../../functions/adapters/store-repository';
import { storeRoles } from '../../functions/schemas/store';

/**
 * Binds every store role to the account of a development token (`issueDevToken`, whose `sub` is the
 * address), as `closeloop staff sync` binds them to the provider's accounts: manager tokens then see
 * their stores.
 */
export const bindStoresToDevTokens = async (stores: Pick<StoreRepository, 'listAll' | 'bindAccount'>) => {
  for (const store of await stores.listAll())
    for (const role of storeRoles) {
      const address = role === 'manager' ? store.managerEmail : store.regionalManagerEmail;
      if (address !== undefined)
        await stores.bindAccount(store.storeId, role, { sub: address, email: address });
    }
};
