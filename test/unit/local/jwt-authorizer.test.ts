import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthorizer, scopesOf } from '../../../local/identity/jwt-authorizer';

const issuerUrl = 'http://127.0.0.1:4000';
const audience = 'closeloop-staff';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let providerKey: PrivateKey;
let strangerKey: PrivateKey;
let authorize: ReturnType<typeof createJwtAuthorizer>;

beforeAll(async () => {
  const provider = await generateKeyPair('RS256');
  providerKey = provider.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = {
    ...(await exportJWK(provider.publicKey)),
    kid: 'provider-key',
    alg: 'RS256',
    use: 'sig',
  };
  authorize = createJwtAuthorizer({ issuerUrl, audience, keys: createLocalJWKSet({ keys: [jwk] }) });
});

const idToken = (
  edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt,
  { key = providerKey, kid = 'provider-key' }: { key?: PrivateKey; kid?: string } = {},
) =>
  edit(
    new SignJWT({ email: 'm@x.co', email_verified: true, token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('sub-1')
      .setIssuer(issuerUrl)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('1h'),
  ).sign(key);

describe('the local JWT authorizer (API Gateway’s, for the signed-in routes)', () => {
  it('passes the claims of a token the provider signed, for its client, not expired', async () => {
    const claims = await authorize(`Bearer ${await idToken()}`);
    expect(claims).toMatchObject({ sub: 'sub-1', email: 'm@x.co', iss: issuerUrl, aud: audience });
  });

  it('refuses a token from another issuer', async () => {
    expect(
      await authorize(`Bearer ${await idToken((jwt) => jwt.setIssuer('https://evil.example'))}`),
    ).toBeUndefined();
  });

  it('refuses a token for another client', async () => {
    expect(
      await authorize(`Bearer ${await idToken((jwt) => jwt.setAudience('another-client'))}`),
    ).toBeUndefined();
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await idToken((jwt) => jwt.setIssuedAt(now - 7200).setExpirationTime(now - 60));
    expect(await authorize(`Bearer ${expired}`)).toBeUndefined();
  });

  it('refuses a token whose signature does not match its key', async () => {
    expect(await authorize(`Bearer ${await idToken(undefined, { key: strangerKey })}`)).toBeUndefined();
  });

  it('refuses a token signed with a key the provider does not publish', async () => {
    const unknown = await idToken(undefined, { key: strangerKey, kid: 'unknown-key' });
    expect(await authorize(`Bearer ${unknown}`)).toBeUndefined();
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await idToken()).split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'sub-1', email: 'boss@x.co', iss: issuerUrl, aud: audience, exp: 4e9 }),
    ).toString('base64url');
    expect(await authorize(`Bearer ${header}.${payload}.${signature}`)).toBeUndefined();
  });

  it('refuses an unsigned token and anything that is not a bearer token', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 's', iss: issuerUrl, aud: audience, exp: 4e9 })).toString('base64url')}.`;
    for (const authorization of [
      `Bearer ${unsigned}`,
      undefined,
      '',
      'Bearer',
      'Basic YTpi',
      await idToken(),
    ]) {
      expect(await authorize(authorization)).toBeUndefined();
    }
  });
});

describe('the audience rule and scopes of an access token (API Gateway’s, for integration routes)', () => {
  const accessToken = (claims: Record<string, unknown>) =>
    new SignJWT({ token_use: 'access', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'provider-key' })
      .setSubject('client-1')
      .setIssuer(issuerUrl)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(providerKey);

  it('checks client_id against the audience when the token has no aud (a Cognito access token)', async () => {
    expect(await authorize(`Bearer ${await accessToken({ client_id: audience })}`)).toMatchObject({
      client_id: audience,
    });
    expect(await authorize(`Bearer ${await accessToken({ client_id: 'another' })}`)).toBeUndefined();
    expect(await authorize(`Bearer ${await accessToken({})}`)).toBeUndefined();
  });

  it('checks aud, not client_id, when the token has one', async () => {
    expect(
      await authorize(`Bearer ${await accessToken({ client_id: audience, aud: 'another' })}`),
    ).toBeUndefined();
  });

  it('reads the scopes of `scope` (space-separated) or `scp`', () => {
    expect(scopesOf({ scope: 'closeloop/customers.write  closeloop/customers.erase' })).toEqual([
      'closeloop/customers.write',
      'closeloop/customers.erase',
    ]);
    expect(scopesOf({ scp: ['a', 1, 'b'] })).toEqual(['a', 'b']);
    expect(scopesOf({})).toEqual([]);
  });
});
