import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  paginateListUserPoolClients,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { fullScopeName, type IntegrationScope } from '../resources/integration-scopes';

/** An integration's app client: client credentials only, with a secret. */
export interface IntegrationListing {
  readonly name: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly createdAt?: string;
  /** Only when asked for. */
  readonly clientSecret?: string;
}

/** The app client name of an integration: `integration-crm` (the stack names its clients the same way). */
export const integrationClientName = (name: string) => `integration-${name}`;

const listingOf = (client: UserPoolClientType, withSecret: boolean): IntegrationListing => ({
  name: (client.ClientName ?? '').replace(/^integration-/, ''),
  clientId: client.ClientId ?? '',
  scopes: client.AllowedOAuthScopes ?? [],
  ...(client.CreationDate && { createdAt: client.CreationDate.toISOString() }),
  ...(withSecret && client.ClientSecret !== undefined && { clientSecret: client.ClientSecret }),
});

/**
 * The integrations' app clients of a Cognito user pool (or of the local identity provider, which
 * speaks the same API): what `closeloop integrations` reads and changes. An app client is an
 * integration's when it has the client credentials flow.
 */
export const createIntegrationDirectory = (client: CognitoIdentityProviderClient, userPoolId: string) => {
  const UserPoolId = userPoolId;
  const describe = async (ClientId: string) =>
    (await client.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }))).UserPoolClient ?? {};

  const list = async (withSecret = false): Promise<IntegrationListing[]> => {
    const found: IntegrationListing[] = [];
    for await (const page of paginateListUserPoolClients({ client }, { UserPoolId, MaxResults: 60 }))
      for (const summary of page.UserPoolClients ?? []) {
        const details = await describe(summary.ClientId ?? '');
        if (details.AllowedOAuthFlows?.includes('client_credentials'))
          found.push(listingOf(details, withSecret));
      }
    return found;
  };

  return {
    list,
    find: async (name: string, withSecret = false) =>
      (await list(withSecret)).find((integration) => integration.name === name),

    /** Creates the app client; its secret is in the listing returned (and readable later with `find`). */
    async add(name: string, scopes: readonly IntegrationScope[]): Promise<IntegrationListing> {
      const { UserPoolClient } = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId,
          ClientName: integrationClientName(name),
          GenerateSecret: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthScopes: scopes.map(fullScopeName),
          AllowedOAuthFlowsUserPoolClient: true,
          SupportedIdentityProviders: ['COGNITO'],
          EnableTokenRevocation: true,
          PreventUserExistenceErrors: 'ENABLED',
        }),
      );
      return listingOf(UserPoolClient ?? {}, true);
    },

    remove: async (clientId: string) => {
      await client.send(new DeleteUserPoolClientCommand({ UserPoolId, ClientId: clientId }));
    },
  };
};
