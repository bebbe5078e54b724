import type { Command } from 'commander';
import {
  createIntegrationDirectory,
  type IntegrationListing,
} from '../../functions/adapters/integration-directory';
import {
  type IntegrationScope,
  integrationScopeOf,
  integrationScopes,
} from '../../functions/resources/integration-scopes';
import { UsageError } from '../errors';
import { resolveTarget, type Target } from '../target';
import { jsonLine, type Terminal } from '../terminal';

const namePattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const parseScopes = (text: string): IntegrationScope[] => {
  const scopes = text
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
  if (scopes.length === 0)
    throw new UsageError(`--scopes: name at least one of ${integrationScopes.join(', ')}`);
  return [
    ...new Set(
      scopes.map((scope) => {
        const known = integrationScopeOf(scope);
        if (known === undefined)
          throw new UsageError(`--scopes: unknown scope ${scope} (one of ${integrationScopes.join(', ')})`);
        return known;
      }),
    ),
  ];
};

const checkName = (name: string) => {
  if (!namePattern.test(name))
    throw new UsageError(
      `${name} is not a valid integration name: lowercase letters, digits and hyphens (at most 40)`,
    );
};

/** Where the target's integration clients get tokens. */
const tokenUrlOf = (target: Target) =>
  target.name === 'local'
    ? `${(target.env.OIDC_ISSUER_URL ?? '').replace(/\/+$/, '')}/token`
    : 'the stack output IntegrationTokenUrl';

/** In AWS the API's authorizer accepts the clients the stack lists: integrations are declared there. */
const declaredInStack = (action: string) =>
  new UsageError(
    `${action} is for the local stack: in AWS an integration is part of the stack, because the API's ` +
      'authorizer accepts only the clients it lists. Deploy with -c \'integrations={"NAME":' +
      '["customers.write","customers.erase"]}\' (remove a name and deploy again to revoke it), then ' +
      'run `closeloop integrations show NAME --secret`.',
  );

const describe = (integration: IntegrationListing, target: Target) =>
  [
    `Integration ${integration.name}`,
    `  client id      ${integration.clientId}`,
    ...(integration.clientSecret === undefined ? [] : [`  client secret  ${integration.clientSecret}`]),
    `  scopes         ${integration.scopes.join(' ')}`,
    `  token URL      ${tokenUrlOf(target)}`,
    '',
  ].join('\n');

/**
 * `closeloop integrations add|list|show|remove`: the OAuth clients integrations (a CRM) sync
 * customers with, in the local identity provider or (read-only) in the Cognito user pool.
 */
export const registerIntegrationsCommand = (program: Command, terminal: Terminal) => {
  const integrations = program
    .command('integrations')
    .description(
      'OAuth clients (client credentials) for machine-to-machine customer sync: locally in the identity ' +
        'provider; in AWS, declared in the stack and read here with CLOSELOOP_TARGET=aws.',
    );
  const directoryOf = (target: Target) => {
    const { client, userPoolId } = target.userPool();
    return createIntegrationDirectory(client, userPoolId);
  };

  integrations
    .command('add')
    .description('Create an integration client and print its id and secret (local stack).')
    .argument('<name>', 'e.g. crm: lowercase letters, digits and hyphens')
    .requiredOption('--scopes <scopes>', `comma-separated: ${integrationScopes.join(', ')}`)
    .option('--json', 'print {name, clientId, clientSecret, scopes, tokenUrl} as JSON')
    .action(async (name: string, options: { scopes: string; json?: boolean }) => {
      checkName(name);
      const scopes = parseScopes(options.scopes);
      const target = resolveTarget();
      if (target.name !== 'local') throw declaredInStack('integrations add');
      const directory = directoryOf(target);
      if ((await directory.find(name)) !== undefined)
        throw new UsageError(`there is already an integration ${name}: remove it first to make a new secret`);
      const added = await directory.add(name, scopes);
      terminal.stdout.write(
        options.json === true
          ? jsonLine({ ...added, tokenUrl: tokenUrlOf(target) })
          : `${describe(added, target)}Keep the secret safe: it is shown here and by \`closeloop integrations show ${name} --secret\`.\n`,
      );
    });

  integrations
    .command('list')
    .description('List the integration clients with their scopes.')
    .option('--json', 'print one JSON object per integration')
    .action(async (options: { json?: boolean }) => {
      const found = await directoryOf(resolveTarget()).list();
      if (options.json === true)
        for (const integration of found) terminal.stdout.write(jsonLine(integration));
      else if (found.length === 0) terminal.stdout.write('No integrations yet.\n');
      else
        for (const integration of found)
          terminal.stdout.write(
            `${integration.name}  ${integration.clientId}  ${integration.scopes.join(' ')}\n`,
          );
    });

  integrations
    .command('show')
    .description("Show one integration's client id, scopes and token URL (and its secret with --secret).")
    .argument('<name>')
    .option('--secret', 'also print the client secret')
    .option('--json', 'print it as JSON')
    .action(async (name: string, options: { secret?: boolean; json?: boolean }) => {
      const target = resolveTarget();
      const integration = await directoryOf(target).find(name, options.secret === true);
      if (integration === undefined) throw new UsageError(`no integration ${name}`);
      terminal.stdout.write(
        options.json === true
          ? jsonLine({ ...integration, tokenUrl: tokenUrlOf(target) })
          : describe(integration, target),
      );
    });

  integrations
    .command('remove')
    .description('Delete an integration client (local stack): its tokens stop working when they expire.')
    .argument('<name>')
    .action(async (name: string) => {
      const target = resolveTarget();
      if (target.name !== 'local') throw declaredInStack('integrations remove');
      const directory = directoryOf(target);
      const integration = await directory.find(name);
      if (integration === undefined) throw new UsageError(`no integration ${name}`);
      await directory.remove(integration.clientId);
      terminal.stdout.write(`Removed integration ${name} (${integration.clientId}).\n`);
    });
};
