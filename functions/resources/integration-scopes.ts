/**
 * The OAuth resource server that machine-to-machine integrations (a CRM syncing customers) get
 * tokens for, with the client credentials grant: a Cognito resource server in AWS, the local
 * identity provider's resource indicator locally. A token carries `closeloop/customers.write` etc.
 */
export const integrationResourceServer = 'closeloop';

/** Each scope and what it allows. */
export const integrationScopeDescriptions = {
  'customers.write': 'Create and update customers',
  'customers.erase': "Erase customers' personal data",
} as const;

export type IntegrationScope = keyof typeof integrationScopeDescriptions;

export const integrationScopes = Object.keys(integrationScopeDescriptions) as IntegrationScope[];

/** A scope as it appears in a token and in a route's authorization scopes: `closeloop/customers.write`. */
export const fullScopeName = (scope: IntegrationScope) => `${integrationResourceServer}/${scope}`;

/** The scope named by `closeloop/customers.write` or `customers.write`, if it is one. */
export const integrationScopeOf = (name: string): IntegrationScope | undefined => {
  const short = name.startsWith(`${integrationResourceServer}/`)
    ? name.slice(integrationResourceServer.length + 1)
    : name;
  return (integrationScopes as string[]).includes(short) ? (short as IntegrationScope) : undefined;
};
