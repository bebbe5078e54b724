import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStaffDirectory } from '../functions/adapters/staff-directory';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { registryTables } from '../functions/shared/config';
import { addStaff, syncStaff } from '../functions/use-cases/sync-staff';
import { localCredentials, localRegion } from './emulators/local-aws';
import { localUserPoolId } from './identity/cognito-admin-api';

/** The demo's password for the accounts it signs in with (it meets the user pool's policy). */
export const demoStaffPassword = 'Demo-closeloop-1';
export const demoMarketer = 'marketing@stores.example.com';

/**
 * Gives the demo stores' managers their accounts as `closeloop staff sync` does (their invitations
 * land in the mail viewer), then a marketer and the first store's manager a known password, so that
 * the dashboard and the managers' page can be opened at once.
 */
export const seedDemoStaff = async (
  db: DynamoDBDocumentClient,
  env: Readonly<Record<string, string | undefined>>,
  issuerUrl: string,
) => {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: issuerUrl,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    const directory = createStaffDirectory(cognito, localUserPoolId);
    const stores = createStoreRepository(db, registryTables(env).stores);
    await syncStaff({ directory, stores }, { dryRun: false });
    await addStaff({ directory }, { email: demoMarketer, role: 'marketing', password: demoStaffPassword });
    const [first] = (await stores.listAll()).sort((a, b) => a.storeId.localeCompare(b.storeId));
    const manager = first?.managerEmail && (await directory.findByEmail(first.managerEmail));
    if (manager) await directory.setPassword(manager.username, demoStaffPassword);
    return { marketer: demoMarketer, manager: manager ? manager.email : undefined };
  } finally {
    cognito.destroy();
  }
};
