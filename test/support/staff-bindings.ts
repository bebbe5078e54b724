import { createStaffDirectory } from '../../functions/adapters/staff-directory';
import type { StoreRepository } from '../../functions/adapters/store-repository';
import { syncStaff } from '../../functions/use-cases/sync-staff';
import { localUserPoolId } from '../../local/identity/cognito-admin-api';
import { cognitoOfProvider } from './staff';

/**
 * Gives every store manager of the registry an account in the shared stack's identity provider,
 * bound to their stores, exactly as `closeloop staff sync` does (its use case, through the provider's
 * Cognito API). `signInAs` then signs in to those same accounts.
 */
export const syncStaffAccounts = async (
  stores: Pick<StoreRepository, 'listAll' | 'bindAccount' | 'unbindAccount'>,
) => {
  const cognito = cognitoOfProvider();
  try {
    const result = await syncStaff(
      { directory: createStaffDirectory(cognito, localUserPoolId), stores },
      { dryRun: false },
    );
    if (result.skipped.length > 0) throw new Error(`staff sync skipped: ${result.skipped.join('; ')}`);
  } finally {
    cognito.destroy();
  }
};
