import { jwtVerify, SignJWT } from 'jose';

/**
 * Development tokens for the manager API on the local stack. In AWS, API Gateway's JWT authorizer
 * verifies Cognito tokens and hands the claims to the function; locally the API server verifies these
 * HS256 tokens (signed with the stack's per-run secret) and hands the claims over the same way.
 */
const issuer = 'closeloop-local';
const audience = 'closeloop-managers';

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** `groups` are Cognito groups (`admin`, `marketing`), carried as Cognito carries them. */
export const issueDevToken = (secret: string, email: string, hours = 12, groups: readonly string[] = []) =>
  new SignJWT({ email: email.trim().toLowerCase(), ...(groups.length > 0 && { 'cognito:groups': groups }) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(email.trim().toLowerCase())
    .setIssuedAt()
    .setExpirationTime(`${hours}h`)
    .sign(keyOf(secret));

/** The token's claims, or undefined if it is missing, forged, expired or for something else. */
export const verifyDevToken = async (secret: string, authorization: string | undefined) => {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return undefined;
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { issuer, audience, algorithms: ['HS256'] });
    return payload;
  } catch {
    return undefined;
  }
};
