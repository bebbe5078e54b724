import { type Command, InvalidArgumentError } from 'commander';
import { createWebhookRepository } from '../../functions/adapters/webhook-repository';
import { createWebhookSender } from '../../functions/adapters/webhook-sender';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/domain/errors';
import { defaultRotationGraceHours, isDelivered, webhookEventTypes } from '../../functions/domain/webhooks';
import { webhookDeliveriesTable, webhookEndpointsTable } from '../../functions/resources/tables';
import type { WebhookAttemptRecord } from '../../functions/schemas/webhooks';
import { tableNamesFrom } from '../../functions/shared/config';
import {
  addWebhookEndpoint,
  type ListedWebhookEndpoint,
  listWebhookEndpoints,
  removeWebhookEndpoint,
  rotateWebhookSecret,
  testWebhookEndpoint,
  webhookDeliveryLog,
} from '../../functions/use-cases/webhooks';
import { UsageError } from '../errors';
import { resolveTarget, type Target } from '../target';
import { jsonLine, type Terminal, textTable } from '../terminal';

const webhookDeps = (target: Target) => {
  const tables = tableNamesFrom(
    { endpoints: webhookEndpointsTable, deliveries: webhookDeliveriesTable },
    target.env,
  );
  return {
    endpoints: createWebhookRepository(target.documentClient(), tables),
    sender: createWebhookSender(),
  };
};

/** Bad input or an unknown id is the user's to fix: a usage error with its message. */
const asUsage = async <Result>(work: () => Promise<Result>): Promise<Result> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError || error instanceof NotFoundError || error instanceof ConflictError)
      throw new UsageError(error.message);
    throw error;
  }
};

const wholeNumberOption = (name: string) => (text: string) => {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new InvalidArgumentError(`${name} must be a whole number`);
  return value;
};

export const formatWebhookEndpoints = (endpoints: readonly ListedWebhookEndpoint[]) => {
  if (endpoints.length === 0) return 'No webhook endpoints. Add one with `closeloop webhooks add`.\n';
  const header = ['ID', 'EVENTS', 'SECRETS', 'URL', 'DESCRIPTION'];
  const rows = endpoints.map((endpoint) => [
    endpoint.endpointId,
    endpoint.events.join(','),
    String(endpoint.activeSecrets),
    endpoint.url,
    endpoint.description ?? '',
  ]);
  return `${textTable(header, rows)}\n`;
};

export const formatWebhookLog = (attempts: readonly WebhookAttemptRecord[]) => {
  if (attempts.length === 0) return 'No delivery attempts yet.\n';
  const header = ['AT', 'EVENT', 'TYPE', 'ATTEMPT', 'STATUS', 'MS'];
  const rows = attempts.map((attempt) => [
    attempt.at,
    attempt.eventId,
    attempt.type,
    String(attempt.attempt),
    attempt.status === 0 ? `- ${attempt.error ?? ''}` : String(attempt.status),
    String(attempt.durationMs),
  ]);
  return `${textTable(header, rows)}\n`;
};

/** `closeloop webhooks add|list|remove|rotate|test|log`: signed outgoing webhooks. */
export const registerWebhooksCommand = (program: Command, terminal: Terminal) => {
  const webhooks = program
    .command('webhooks')
    .description(
      `Signed outgoing webhooks (${webhookEventTypes.join(', ')}): each endpoint gets the events its filter ` +
        'names, POSTed as JSON and signed with HMAC-SHA256 (header closeloop-signature), retried with backoff.',
    );

  webhooks
    .command('add')
    .description('Add an endpoint. Prints its signing secret, shown this once: give it to the receiver.')
    .requiredOption('--url <url>', 'where to POST events (https://…; http://localhost on the local stack)')
    .option(
      '--events <filters>',
      `which events, comma-separated: ${webhookEventTypes.join(', ')}, a family such as case.*, or * (default)`,
      (text: string) =>
        text
          .split(',')
          .map((event) => event.trim())
          .filter(Boolean),
    )
    .option('--description <text>', 'what the endpoint is for')
    .option('--json', 'print the endpoint and its secret as JSON')
    .action(async (options: { url: string; events?: string[]; description?: string; json?: boolean }) => {
      const target = resolveTarget();
      const { endpoint, secret } = await asUsage(() =>
        addWebhookEndpoint(
          webhookDeps(target),
          { url: options.url, events: options.events, description: options.description },
          // A receiver on this machine (http://127.0.0.1:…) is for the local stack only.
          { allowLoopbackHttp: target.name === 'local' },
        ),
      );
      terminal.stdout.write(
        options.json === true
          ? jsonLine({ ...endpoint, secret })
          : `Added webhook endpoint ${endpoint.endpointId} for ${endpoint.events.join(', ')}.\n` +
              `Signing secret (shown once): ${secret}\nTry it: closeloop webhooks test ${endpoint.endpointId}\n`,
      );
    });

  webhooks
    .command('list')
    .description('List the webhook endpoints, their URLs masked and their secrets counted.')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const endpoints = await listWebhookEndpoints(webhookDeps(resolveTarget()));
      terminal.stdout.write(options.json === true ? jsonLine(endpoints) : formatWebhookEndpoints(endpoints));
    });

  webhooks
    .command('remove')
    .argument('<id>', 'the endpoint id (see webhooks list)')
    .description('Remove an endpoint: it gets nothing more, not even deliveries already queued.')
    .action(async (endpointId: string) => {
      await asUsage(() => removeWebhookEndpoint(webhookDeps(resolveTarget()), endpointId));
      terminal.stdout.write(`Removed webhook endpoint ${endpointId}.\n`);
    });

  webhooks
    .command('rotate')
    .argument('<id>', 'the endpoint id (see webhooks list)')
    .description(
      'Give an endpoint a new signing secret (printed, shown once). Its current secrets stay valid for the ' +
        'grace period: every delivery is signed with each of them meanwhile.',
    )
    .option(
      '--grace-hours <hours>',
      `how long the current secrets stay valid (default ${defaultRotationGraceHours}; 0 ends them now)`,
      wholeNumberOption('--grace-hours'),
    )
    .option('--json', 'print the new secret as JSON')
    .action(async (endpointId: string, options: { graceHours?: number; json?: boolean }) => {
      const rotated = await asUsage(() =>
        rotateWebhookSecret(webhookDeps(resolveTarget()), endpointId, options.graceHours),
      );
      terminal.stdout.write(
        options.json === true
          ? jsonLine({ endpointId, ...rotated })
          : `New signing secret for ${endpointId} (shown once): ${rotated.secret}\n` +
              `The previous secrets stay valid until ${rotated.previousValidUntil}.\n`,
      );
    });

  webhooks
    .command('test')
    .argument('<id>', 'the endpoint id (see webhooks list)')
    .description('POST a signed webhook.test event to an endpoint now, and say what it answered.')
    .action(async (endpointId: string) => {
      const result = await asUsage(() => testWebhookEndpoint(webhookDeps(resolveTarget()), endpointId));
      if (!isDelivered(result.status))
        throw new UsageError(
          result.status === 0
            ? `the endpoint did not answer (${result.error})`
            : `the endpoint answered HTTP ${result.status}: check its URL and its signature check`,
        );
      terminal.stdout.write(
        `The endpoint took the test event (HTTP ${result.status}, ${result.durationMs} ms).\n`,
      );
    });

  webhooks
    .command('log')
    .argument('<id>', 'the endpoint id (see webhooks list)')
    .description('Show the latest delivery attempts of an endpoint (kept 14 days), newest first.')
    .option('--limit <n>', 'how many (default 20)', wholeNumberOption('--limit'))
    .option('--json', 'print a JSON array')
    .action(async (endpointId: string, options: { limit?: number; json?: boolean }) => {
      const attempts = await asUsage(() =>
        webhookDeliveryLog(webhookDeps(resolveTarget()), endpointId, options.limit ?? 20),
      );
      terminal.stdout.write(options.json === true ? jsonLine(attempts) : formatWebhookLog(attempts));
    });
};
