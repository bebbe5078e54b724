import { randomBytes } from 'node:crypto';
import type { Once } from '../adapters/idempotency';
import type { TaskQueue } from '../adapters/task-queue';
import type { WebhookRepository } from '../adapters/webhook-repository';
import type { WebhookSender } from '../adapters/webhook-sender';
import { maskWebhookUrl } from '../domain/chat';
import { NotFoundError, ValidationError } from '../domain/errors';
import { signatureHeaderName, signatureHeaderOf } from '../domain/webhook-signature';
import {
  activeSecretsOf,
  defaultRotationGraceHours,
  isDelivered,
  newWebhookSecret,
  rotatedSecrets,
  webhookFilterMatches,
  webhookTestEventType,
} from '../domain/webhooks';
import { describeIssues } from '../schemas/common';
import {
  type WebhookDeliveryTask,
  WebhookEndpointInput,
  type WebhookEndpointRecord,
  type WebhookEventRecord,
} from '../schemas/webhooks';

const nowOf = (deps: { clock?: () => Date }) => (deps.clock ?? (() => new Date()))();

/**
 * Hands a new event to every endpoint whose filter wants it: one message per endpoint on the Webhooks
 * queue, delivered and retried on its own. Safe to repeat: a repeated delivery is posted once.
 */
export const fanOutWebhookEvent = async (
  deps: { endpoints: Pick<WebhookRepository, 'listAll'>; deliveries: Pick<TaskQueue, 'sendAll'> },
  event: WebhookEventRecord,
) => {
  const endpoints = (await deps.endpoints.listAll()).filter((endpoint) =>
    webhookFilterMatches(endpoint.events, event.type),
  );
  await deps.deliveries.sendAll(
    endpoints.map((endpoint): WebhookDeliveryTask => ({ endpointId: endpoint.endpointId, event })),
  );
  return { endpoints: endpoints.length };
};

/** An endpoint did not take a delivery (no 2xx): the queue retries it with backoff. Names no URL. */
export class WebhookDeliveryFailedError extends Error {
  override readonly name = 'WebhookDeliveryFailedError';
}

export interface DeliverWebhookDeps {
  readonly endpoints: Pick<WebhookRepository, 'get' | 'logAttempt'>;
  readonly sender: WebhookSender;
  readonly once: Once;
  readonly clock?: () => Date;
  /** Told when an attempt could not be logged (the delivery stands: the log is for people). */
  readonly onLogFailed?: (error: unknown) => void;
}

/** The headers of one signed POST of `body`. */
const signedHeaders = (
  endpoint: WebhookEndpointRecord,
  event: WebhookEventRecord,
  body: string,
  now: Date,
) => ({
  [signatureHeaderName]: signatureHeaderOf(
    body,
    activeSecretsOf(endpoint.secrets, now),
    Math.floor(now.getTime() / 1000),
  ),
  'closeloop-event-id': event.id,
  'closeloop-event-type': event.type,
});

/**
 * Posts one event to one endpoint: `{id, type, createdAt, data}` as JSON, signed at the time of the
 * try with every active secret of the endpoint, and logs the attempt. A 2xx delivers it, once per
 * endpoint and event id (`once`); anything else throws, so the queue tries again after a backoff and
 * after its last receive moves the task to its dead-letter queue. An endpoint removed since, or whose
 * filter no longer wants the event, gets nothing.
 */
export const deliverWebhook = async (
  deps: DeliverWebhookDeps,
  task: WebhookDeliveryTask,
  attempt: number,
) => {
  const endpoint = await deps.endpoints.get(task.endpointId);
  if (endpoint === undefined) return { outcome: 'endpoint-removed' as const };
  if (!webhookFilterMatches(endpoint.events, task.event.type)) return { outcome: 'filtered-out' as const };
  return deps.once(`webhook:${endpoint.endpointId}:${task.event.id}`, async () => {
    const now = nowOf(deps);
    const body = JSON.stringify(task.event);
    const result = await deps.sender.post(endpoint.url, body, signedHeaders(endpoint, task.event, body, now));
    // A log that cannot be written must not undo a delivery: throwing here would post it again.
    await deps.endpoints
      .logAttempt({
        endpointId: endpoint.endpointId,
        eventId: task.event.id,
        type: task.event.type,
        attempt,
        status: result.status,
        durationMs: result.durationMs,
        at: now.toISOString(),
        ...(result.error !== undefined && { error: result.error }),
      })
      .catch((error: unknown) => deps.onLogFailed?.(error));
    if (!isDelivered(result.status))
      throw new WebhookDeliveryFailedError(
        `endpoint ${endpoint.endpointId} ${result.status === 0 ? `did not answer (${result.error})` : `answered ${result.status}`}`,
      );
    return { outcome: 'delivered' as const, status: result.status };
  });
};

/** An endpoint as listings show it: the URL masked, the secrets counted, never shown. */
export const listedEndpointOf = (endpoint: WebhookEndpointRecord, now = new Date()) => ({
  endpointId: endpoint.endpointId,
  url: maskWebhookUrl(endpoint.url),
  events: endpoint.events,
  ...(endpoint.description !== undefined && { description: endpoint.description }),
  activeSecrets: activeSecretsOf(endpoint.secrets, now).length,
  createdAt: endpoint.createdAt,
});
export type ListedWebhookEndpoint = ReturnType<typeof listedEndpointOf>;

export interface WebhookAdminDeps {
  readonly endpoints: Pick<
    WebhookRepository,
    'add' | 'get' | 'listAll' | 'remove' | 'replaceSecrets' | 'recentAttempts'
  >;
  readonly sender: WebhookSender;
  readonly clock?: () => Date;
}

/** Adds an endpoint; returns it with its signing secret, which is shown this once. */
export const addWebhookEndpoint = async (
  deps: Pick<WebhookAdminDeps, 'endpoints' | 'clock'>,
  input: unknown,
  options: { allowLoopbackHttp?: boolean } = {},
) => {
  const parsed = WebhookEndpointInput(options).safeParse(input);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw new ValidationError(`invalid webhook endpoint: ${issues.join('; ')}`, issues);
  }
  const now = nowOf(deps).toISOString();
  const secret = newWebhookSecret();
  const endpoint: WebhookEndpointRecord = {
    endpointId: `we_${randomBytes(6).toString('hex')}`,
    url: parsed.data.url,
    events: [...new Set(parsed.data.events)],
    ...(parsed.data.description !== undefined && { description: parsed.data.description }),
    secrets: [{ secret, createdAt: now }],
    createdAt: now,
  };
  await deps.endpoints.add(endpoint);
  return { endpoint: listedEndpointOf(endpoint, new Date(now)), secret };
};

export const listWebhookEndpoints = async (deps: Pick<WebhookAdminDeps, 'endpoints' | 'clock'>) => {
  const now = nowOf(deps);
  return (await deps.endpoints.listAll()).map((endpoint) => listedEndpointOf(endpoint, now));
};

export const removeWebhookEndpoint = async (
  deps: Pick<WebhookAdminDeps, 'endpoints'>,
  endpointId: string,
) => {
  if (!(await deps.endpoints.remove(endpointId)))
    throw new NotFoundError(`no webhook endpoint ${endpointId}`);
};

/**
 * Gives an endpoint a new signing secret (returned, shown this once). The ones it had stay valid for
 * `graceHours` (deliveries carry a signature for each), time to give the receiver the new one.
 */
export const rotateWebhookSecret = async (
  deps: Pick<WebhookAdminDeps, 'endpoints' | 'clock'>,
  endpointId: string,
  graceHours = defaultRotationGraceHours,
) => {
  if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > 24 * 30)
    throw new ValidationError('grace: must be between 0 and 720 hours');
  for (let attempt = 0; attempt < 5; attempt++) {
    const endpoint = await deps.endpoints.get(endpointId);
    if (endpoint === undefined) throw new NotFoundError(`no webhook endpoint ${endpointId}`);
    const now = nowOf(deps);
    const secret = newWebhookSecret();
    const secrets = rotatedSecrets(endpoint.secrets, secret, now, graceHours);
    if (await deps.endpoints.replaceSecrets(endpointId, endpoint.secrets, secrets))
      return {
        secret,
        previousValidUntil: new Date(now.getTime() + graceHours * 3_600_000).toISOString(),
        activeSecrets: activeSecretsOf(secrets, now).length,
      };
  }
  throw new Error(`the secrets of ${endpointId} kept changing meanwhile; try again`);
};

/**
 * Posts a signed `webhook.test` event to an endpoint now (not queued, not logged, whatever its filter):
 * what it answered.
 */
export const testWebhookEndpoint = async (
  deps: Pick<WebhookAdminDeps, 'endpoints' | 'sender' | 'clock'>,
  endpointId: string,
) => {
  const endpoint = await deps.endpoints.get(endpointId);
  if (endpoint === undefined) throw new NotFoundError(`no webhook endpoint ${endpointId}`);
  const now = nowOf(deps);
  const event: WebhookEventRecord = {
    id: `evt_test_${randomBytes(8).toString('hex')}`,
    type: webhookTestEventType,
    createdAt: now.toISOString(),
    data: { endpointId },
  };
  const body = JSON.stringify(event);
  return deps.sender.post(endpoint.url, body, signedHeaders(endpoint, event, body, now));
};

/** An endpoint's latest delivery attempts, newest first. */
export const webhookDeliveryLog = async (
  deps: Pick<WebhookAdminDeps, 'endpoints'>,
  endpointId: string,
  limit = 20,
) => {
  if ((await deps.endpoints.get(endpointId)) === undefined)
    throw new NotFoundError(`no webhook endpoint ${endpointId}`);
  return deps.endpoints.recentAttempts(endpointId, Math.max(1, Math.min(limit, 1000)));
};
