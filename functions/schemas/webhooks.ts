import * as z from 'zod/mini';
import { isWebhookFilter, webhookEventTypes } from '../domain/webhooks';
import { isoTimestamp, optionalText } from './common';
import { outboundHttpsUrl } from './outbound-url';

export const WebhookEventType = z.enum(webhookEventTypes);

/**
 * An endpoint URL: https only, no user name or password in it. `allowLoopbackHttp` lets a local stack
 * deliver to a receiver on this machine (`http://localhost:…`, `http://127.0.0.1:…`); never AWS.
 */
export const webhookEndpointUrl = (options: { allowLoopbackHttp?: boolean } = {}) =>
  outboundHttpsUrl(
    'must be an https:// URL (http:// only to localhost or 127.0.0.1, on the local stack)',
    options,
  );

/** What `closeloop webhooks add` asks for. */
export const WebhookEndpointInput = (options: { allowLoopbackHttp?: boolean } = {}) =>
  z.object({
    url: webhookEndpointUrl(options),
    events: z._default(
      z
        .array(
          z
            .string()
            .check(
              z.refine(
                isWebhookFilter,
                `must be one of ${webhookEventTypes.join(', ')}, a family such as case.*, or *`,
              ),
            ),
        )
        .check(z.minLength(1, 'must name at least one event type, or *')),
      ['*'],
    ),
    description: optionalText(200),
  });
export type WebhookEndpointInput = z.infer<ReturnType<typeof WebhookEndpointInput>>;

export const WebhookSecretRecord = z.object({
  /** A secret: never logged; shown once, when created. */
  secret: z.string().check(z.minLength(16)),
  createdAt: isoTimestamp(),
  expiresAt: z.optional(isoTimestamp()),
});

/** An endpoint as stored. */
export const WebhookEndpointRecord = z.object({
  endpointId: z.string().check(z.minLength(1)),
  url: z.string(),
  /** Event types, families (`case.*`) or `*`. */
  events: z.array(z.string()),
  description: z.optional(z.string()),
  /** Every secret a delivery is signed with until it expires, newest first. */
  secrets: z.array(WebhookSecretRecord),
  createdAt: isoTimestamp(),
});
export type WebhookEndpointRecord = z.infer<typeof WebhookEndpointRecord>;

/** An event, as the outbox keeps it and as receivers get it (the POST body is `{id, type, createdAt, data}`). */
export const WebhookEventRecord = z.object({
  id: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  createdAt: isoTimestamp(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEventRecord = z.infer<typeof WebhookEventRecord>;

/** A message on the Webhooks queue: one event for one endpoint. */
export const WebhookDeliveryTask = z.object({
  endpointId: z.string().check(z.minLength(1)),
  event: WebhookEventRecord,
});
export type WebhookDeliveryTask = z.infer<typeof WebhookDeliveryTask>;

/** One delivery attempt, as the delivery log keeps it. */
export const WebhookAttemptRecord = z.object({
  endpointId: z.string(),
  eventId: z.string(),
  type: z.string(),
  /** The SQS receive count: 1 for the first try. */
  attempt: z.number(),
  /** The HTTP status, or 0 when the endpoint did not answer (`error` says why). */
  status: z.number(),
  durationMs: z.number(),
  at: isoTimestamp(),
  error: z.optional(z.string()),
});
export type WebhookAttemptRecord = z.infer<typeof WebhookAttemptRecord>;
