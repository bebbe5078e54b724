import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { StaffAccounts } from '../../local/identity/accounts';
import { createCognitoAdminHandler, localUserPoolId } from '../../local/identity/cognito-admin-api';
import { createStaffMail } from '../../local/identity/staff-mail';
import { localEnv } from './local-stack';

/**
 * The local provider's Cognito-compatible API on a server of its own, over fresh accounts, mailing
 * through the SES emulator of the global setup; `tokens` stands in for the provider's access tokens.
 */
export const startStaffDirectoryServer = async () => {
  const env = localEnv();
  const accounts = new StaffAccounts();
  const tokens = new Map<string, string>();
  const mail = createStaffMail(
    new SESv2Client({
      endpoint: env.AWS_ENDPOINT_URL_SESV2,
      region: env.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { from: 'Closeloop <staff@closeloop.example>', signInUrl: () => 'http://127.0.0.1:3000/m' },
  );
  const server = createServer(
    createCognitoAdminHandler({
      accounts,
      resolveAccessToken: async (token) => tokens.get(token),
      ...mail,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
  });
  return {
    accounts,
    tokens,
    endpoint,
    client,
    userPoolId: localUserPoolId,
    close: () => {
      client.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
