import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { accessOf, groupsOf } from '../domain/access';
import { ForbiddenError } from '../domain/errors';

/**
 * Who is signed in, from the verified token's claims (API Gateway's JWT authorizer in AWS, the local
 * API server locally): their e-mail address and Cognito groups.
 */
export const signedInUser = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const email = claims.email;
  if (typeof email !== 'string' || email === '')
    throw new ForbiddenError('The token carries no e-mail address.');
  return { email: email.toLowerCase(), groups: groupsOf(claims['cognito:groups']) };
};

/** What the signed-in user may see, given the stores (only all-store roles need none). */
export const signedInAccess = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  stores: Parameters<typeof accessOf>[2],
) => {
  const user = signedInUser(event);
  return accessOf(user.email, user.groups, stores);
};
