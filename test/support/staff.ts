import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { signInThroughForm } from '../../local/identity/sign-in';
import { localEnv } from './local-stack';

/** The password every test account gets (it meets the user pool's policy). */
export const staffPassword = 'Test-password-42!';

/** A Cognito client of the shared stack's identity provider, as `closeloop staff` uses it. */
export const cognitoOfProvider = () => {
  const env = localEnv();
  return new CognitoIdentityProviderClient({
    endpoint: env.OIDC_ISSUER_URL ?? '',
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  });
};

const provider = () => {
  const env = localEnv();
  return {
    issuerUrl: env.OIDC_ISSUER_URL ?? '',
    clientId: env.OIDC_CLIENT_ID ?? '',
    cognito: cognitoOfProvider(),
  };
};

/** Creates the account (if new) with the password and groups, confirmed and with a verified e-mail. */
export const createStaffAccount = async (
  email: string,
  { groups = [], password = staffPassword }: { groups?: readonly string[]; password?: string } = {},
) => {
  const { cognito } = provider();
  const UserPoolId = 'local';
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error;
  }
  await cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: password, Permanent: true }),
  );
  for (const group of groups) {
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: group }));
  }
  cognito.destroy();
};

/**
 * Signs in as `email` the way a person does: the account is created in the running stack's provider
 * (if new), then the code + PKCE flow goes through the provider's login form. The ID token is what
 * the pages send the API (`Bearer …`).
 */
export const signInAs = async (
  email: string,
  { groups, scope }: { groups?: readonly string[]; scope?: string } = {},
) => {
  await createStaffAccount(email, { ...(groups && { groups }) });
  const { issuerUrl, clientId } = provider();
  const tokens = await signInThroughForm({
    issuerUrl,
    clientId,
    email,
    password: staffPassword,
    ...(scope && { scope }),
  });
  return { ...tokens, sub: String(decodeJwt(tokens.idToken).sub), bearer: `Bearer ${tokens.idToken}` };
};

/**
 * On a page the app just sent to the provider's login form, signs in as `email` (the account is
 * created first if new) and waits until the provider has sent the browser back to `returnTo`.
 */
export const signInOnPage = async (
  page: Page,
  email: string,
  { groups, returnTo }: { groups?: readonly string[]; returnTo?: RegExp } = {},
) => {
  await createStaffAccount(email, { ...(groups && { groups }) });
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(staffPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (returnTo) await page.waitForURL(returnTo);
};
