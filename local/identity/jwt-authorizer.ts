import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as z from 'zod/mini';

const Discovery = z.object({ issuer: z.string(), jwks_uri: z.url() });

/**
 * The issuer's signing keys, found as API Gateway finds them: its discovery document names the JWKS.
 * Fetched at first use and kept (jose refetches the set when a token names an unknown key).
 */
export const remoteKeysOf = (issuerUrl: string): JWTVerifyGetKey => {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const load = async () => {
    const response = await fetch(`${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`no discovery document at ${issuerUrl} (${response.status})`);
    return createRemoteJWKSet(new URL(Discovery.parse(await response.json()).jwks_uri));
  };
  return async (header, token) => {
    keys ??= load().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return (await keys)(header, token);
  };
};

/**
 * What API Gateway's JWT authorizer does before a signed-in route: the bearer token must be a JWT
 * signed by one of the issuer's keys, from that issuer, for that audience (the app client), and not
 * expired. Its claims, or undefined (a 401).
 */
export const createJwtAuthorizer =
  ({
    issuerUrl,
    audience,
    keys = remoteKeysOf(issuerUrl),
  }: {
    readonly issuerUrl: string;
    readonly audience: string;
    readonly keys?: JWTVerifyGetKey;
  }) =>
  async (authorization: string | undefined): Promise<JWTPayload | undefined> => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: issuerUrl,
        audience,
        algorithms: ['RS256'],
      });
      return payload;
    } catch {
      return undefined;
    }
  };
