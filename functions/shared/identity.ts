import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { accessOf, groupsOf, type StaffIdentity, type StoreRoles } from '../domain/access';
import { ForbiddenError } from '../domain/errors';

/** API Gateway passes every claim as a string; a local verifier may pass the token's boolean. */
const isTrue = (claim: unknown) => claim === true || claim === 'true';

/**
 * Who is signed in, from the verified token's claims (API Gateway's JWT authorizer in AWS, the local
 * API server locally): the account's `sub`, the e-mail only if `email_verified`, and the groups.
 */
export const signedInUser = (event: APIGatewayProxyEventV2WithJWTAuthorizer): StaffIdentity => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const { sub, email } = claims;
  if (typeof sub !== 'string' || sub === '') throw new ForbiddenError('The token names no account (no sub).');
  const verified = isTrue(claims.email_verified) && typeof email === 'string' && email.trim() !== '';
  return {
    sub,
    ...(verified && { email: email.trim().toLowerCase() }),
    groups: groupsOf(claims['cognito:groups']),
  };
};

/** What the signed-in user may see, given the stores (only all-store roles need none). */
export const signedInAccess = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  stores: readonly StoreRoles[],
) => accessOf(signedInUser(event), stores);
