import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffAccounts } from '../../local/identity/accounts';
import { type IdentityProvider, startIdentityProvider } from '../../local/identity/provider';
import { SignInError, signInThroughForm } from '../../local/identity/sign-in';

const password = 'Correct-horse-42!';
let provider: IdentityProvider;
let accounts: StaffAccounts;

/** A confirmed account with a verified e-mail, in `groups`. */
const account = (email: string, groups: string[] = []) => {
  const created = accounts.create({ email, emailVerified: true });
  accounts.setPassword(created.sub, password, true);
  return accounts.update(created.sub, { groups });
};

const signIn = (email: string, options: { password?: string; newPassword?: string } = {}) =>
  signInThroughForm({
    issuerUrl: provider.issuerUrl,
    clientId: provider.clientId,
    email,
    password: options.password ?? password,
    redirectUri: 'http://127.0.0.1:3000/m',
    ...(options.newPassword && { newPassword: options.newPassword }),
  });

/** Where the provider sends the browser for an authorization request with these parameters. */
const authorize = async (parameters: Record<string, string>) => {
  const url = new URL('/auth', provider.issuerUrl);
  url.search = new URLSearchParams({
    client_id: provider.clientId,
    redirect_uri: 'http://127.0.0.1:3000/d',
    scope: 'openid email',
    state: 'state-1234',
    ...parameters,
  }).toString();
  const response = await fetch(url, { redirect: 'manual' });
  return {
    status: response.status,
    location: new URL(response.headers.get('location') ?? '/', provider.issuerUrl),
  };
};
const challenge = {
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
};

beforeAll(async () => {
  accounts = new StaffAccounts();
  // Its mails are tested with the admin API (cognito-admin-api.test.ts); none is sent here.
  const unexpectedMail = async () => {
    throw new Error('no mail expected');
  };
  provider = await startIdentityProvider({
    accounts,
    mail: { sendInvitation: unexpectedMail, sendVerificationCode: unexpectedMail },
  });
});
afterAll(() => provider?.stop());

describe('the local OpenID Connect provider', () => {
  it('publishes its discovery document: code flow with S256 PKCE only, RS256 ID tokens, an end-session endpoint', async () => {
    const discovery = (await (
      await fetch(`${provider.issuerUrl}/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(discovery).toMatchObject({
      issuer: provider.issuerUrl,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(discovery.jwks_uri).toMatch(new RegExp(`^${provider.issuerUrl}/`));
    expect(discovery.end_session_endpoint).toMatch(new RegExp(`^${provider.issuerUrl}/`));
    expect(provider.issuerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a code request without a PKCE challenge', async () => {
    const { location } = await authorize({ response_type: 'code' });
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('refuses the implicit flow', async () => {
    const { location } = await authorize({ response_type: 'id_token', nonce: 'n-1', ...challenge });
    expect(
      location.searchParams.get('error') ?? new URLSearchParams(location.hash.slice(1)).get('error'),
    ).toBe('unsupported_response_type');
    expect(location.href).not.toMatch(/id_token=/);
  });

  it('refuses to send anyone to a page that is not the stack’s own', async () => {
    const { status, location } = await authorize({
      response_type: 'code',
      ...challenge,
      redirect_uri: 'https://evil.example/m',
    });
    expect(status).toBe(400);
    expect(location.origin).toBe(provider.issuerUrl);
  });

  it('shows the error on its form for a wrong password, and gives no code', async () => {
    account('wrong-password@x.co');
    await expect(signIn('wrong-password@x.co', { password: 'not-it' })).rejects.toThrow(
      new SignInError('Incorrect e-mail address or password.'),
    );
  });

  it('refuses a disabled account, even with the right password', async () => {
    const disabled = account('disabled@x.co');
    accounts.update(disabled.sub, { enabled: false });
    await expect(signIn('disabled@x.co')).rejects.toThrow(SignInError);
  });

  it('makes an account on a temporary password choose a new one before it is signed in', async () => {
    const created = accounts.create({
      email: 'new@x.co',
      emailVerified: true,
      temporaryPassword: 'Temporary-pass-1!',
    });
    await expect(signIn('new@x.co', { password: 'Temporary-pass-1!' })).rejects.toThrow(
      /must choose a new one/,
    );
    await expect(signIn('new@x.co', { password: 'Temporary-pass-1!', newPassword: 'short' })).rejects.toThrow(
      'The password must have at least 12 characters.',
    );
    const tokens = await signIn('new@x.co', {
      password: 'Temporary-pass-1!',
      newPassword: 'My-own-password-7',
    });
    expect(decodeJwt(tokens.idToken).sub).toBe(created.sub);
    expect(accounts.find(created.sub)?.status).toBe('CONFIRMED');
    await expect(signIn('new@x.co', { password: 'My-own-password-7' })).resolves.toBeDefined();
  });

  it('issues ID tokens shaped as Cognito’s, signed with a key of its JWKS', async () => {
    const marketer = account('marketer@x.co', ['marketing']);
    const { idToken, accessToken } = await signIn('Marketer@X.co');
    const { payload, protectedHeader } = await jwtVerify(
      idToken,
      createRemoteJWKSet(new URL(`${provider.issuerUrl}/jwks`)),
      { issuer: provider.issuerUrl, audience: provider.clientId },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: marketer.sub,
      email: 'marketer@x.co',
      email_verified: true,
      'cognito:groups': ['marketing'],
      token_use: 'id',
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    expect(await provider.resolveAccessToken(accessToken)).toBe(marketer.sub);
    expect(await provider.resolveAccessToken('not-a-token')).toBeUndefined();

    account('manager@x.co');
    const manager = decodeJwt((await signIn('manager@x.co')).idToken);
    expect(manager).not.toHaveProperty('cognito:groups');
  });

  it('answers the pages’ token requests from any loopback origin (CORS), and no other', async () => {
    const tokenRequest = (origin: string) =>
      fetch(`${provider.issuerUrl}/token`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'no-such-code',
          redirect_uri: 'http://127.0.0.1:3000/d',
          client_id: provider.clientId,
          code_verifier: 'v'.repeat(43),
        }),
      });
    const fromPage = await tokenRequest('http://127.0.0.1:3000');
    expect(fromPage.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(await fromPage.json()).toMatchObject({ error: 'invalid_grant' });
    const fromElsewhere = await tokenRequest('https://evil.example');
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('routes Cognito admin API calls (x-amz-target) to its admin handler', async () => {
    const response = await fetch(`${provider.issuerUrl}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools',
      },
      body: '{}',
    });
    // Its admin handler answers, in Cognito's error shape, for an operation it does not offer.
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
