import {
  type IntegrationScope,
  integrationScopeOf,
  integrationScopes,
} from '../../functions/resources/integration-scopes';

/** Integration clients the stack creates: each name with the scopes its tokens may carry. */
export type IntegrationClients = Readonly<Record<string, readonly IntegrationScope[]>>;

const namePattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * The integration clients of context `integrations`: a JSON object from name to scopes, e.g.
 * `-c 'integrations={"crm":["customers.write","customers.erase"]}'` (a scope may be given as
 * `closeloop/customers.write` or as a comma-separated string). None when absent. Anything else is
 * refused, naming what is wrong.
 */
export const integrationsFrom = (value: unknown): IntegrationClients => {
  if (value === undefined || value === '') return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(`context integrations must be JSON, got ${value}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('context integrations must be an object from integration name to scopes');
  return Object.fromEntries(
    Object.entries(parsed).map(([name, given]) => {
      if (!namePattern.test(name))
        throw new Error(
          `context integrations: ${name} is not a valid name (lowercase letters, digits and hyphens, at most 40)`,
        );
      const names = typeof given === 'string' ? given.split(',') : given;
      if (!Array.isArray(names) || names.length === 0)
        throw new Error(
          `context integrations: ${name} needs at least one scope (${integrationScopes.join(', ')})`,
        );
      const scopes = names.map((scope) => {
        const known = typeof scope === 'string' ? integrationScopeOf(scope.trim()) : undefined;
        if (known === undefined)
          throw new Error(
            `context integrations: ${name} has an unknown scope ${String(scope)} (one of ${integrationScopes.join(', ')})`,
          );
        return known;
      });
      return [name, [...new Set(scopes)]];
    }),
  );
};
