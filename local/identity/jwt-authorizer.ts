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
 * The audience as API Gateway reads it: `aud` (one of them) when the token has one, else `client_id`
 * (a Cognito access token has no `aud`).
 */
const audienceMatches = (payload: JWTPayload, audience: readonly string[]) => {
  const { aud, client_id: clientId } = payload as JWTPayload & { client_id?: unknown };
  if (aud !== undefined) return (Array.isArray(aud) ? aud : [aud]).some((value) => audience.includes(value));
  return typeof clientId === 'string' && audience.includes(clientId);
};

/** The scopes a token carries (`scope`, space-separated, or `scp`). */
export const scopesOf = (payload: JWTPayload): string[] => {
  const { scope, scp } = payload as JWTPayload & { scope?: unknown; scp?: unknown };
  if (typeof scope === 'string') return scope.split(' ').filter((name) => name !== '');
  if (Array.isArray(scp)) return scp.filter((name): name is string => typeof name === 'string');
  return [];
};

/**
 * What API Gateway's JWT authorizer does before a signed-in route: the bearer token must be a JWT
 * signed by one of the issuer's keys, from that issuer, for one of the audiences (its `aud`, else its
 * `client_id`), and not expired. Its claims, or undefined (a 401).
 */
export const createJwtAuthorizer =
  ({
    issuerUrl,
    audience,
    keys = remoteKeysOf(issuerUrl),
  }: {
    readonly issuerUrl: string;
    readonly audience: string | readonly string[];
    readonly keys?: JWTVerifyGetKey;
  }) =>
  async (authorization: string | undefined): Promise<JWTPayload | undefined> => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: issuerUrl, algorithms: ['RS256'] });
      return audienceMatches(payload, typeof audience === 'string' ? [audience] : audience)
        ? payload
        : undefined;
    } catch {
      return undefined;
    }
  };
