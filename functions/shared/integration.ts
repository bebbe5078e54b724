import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

/** The integration client that called, from its verified access token (`client_id`, as Cognito's). */
export const callingClient = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string => {
  const clientId = event.requestContext.authorizer?.jwt?.claims?.client_id;
  return typeof clientId === 'string' ? clientId : 'unknown';
};
