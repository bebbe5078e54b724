import { createHash, randomBytes } from 'node:crypto';
import { categoryOf } from './nps';

/**
 * Outgoing webhooks: the events, their stable ids and payloads, which endpoints want an event, and
 * an endpoint's signing secrets across a rotation. Pure: no SDK, no network.
 */
export const webhookEventTypes = [
  'response.created',
  'response.changed',
  'case.opened',
  'case.closed',
  'customer.unsubscribed',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** What `closeloop webhooks test` sends: never queued, never filtered. */
export const webhookTestEventType = 'webhook.test';

/** An endpoint's filter: event types, a family (`case.*`) or everything (`*`). */
export const isWebhookFilter = (filter: string) =>
  filter === '*' ||
  (webhookEventTypes as readonly string[]).includes(filter) ||
  (filter.endsWith('.*') && webhookEventTypes.some((type) => type.startsWith(filter.slice(0, -1))));

/** Whether an endpoint with these filters gets events of this type. */
export const webhookFilterMatches = (filters: readonly string[], type: string) =>
  filters.some(
    (filter) =>
      filter === '*' || filter === type || (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))),
  );

/**
 * An event's id, derived from what happened (`response.created`, survey, answer version…) rather than
 * drawn at random: however often a step is retried it names the same event, so the outbox keeps it
 * once and receivers can deduplicate by it.
 */
export const webhookEventIdOf = (type: WebhookEventType, ...what: readonly (string | number)[]) =>
  `evt_${createHash('sha256')
    .update([type, ...what].join('\u0000'))
    .digest('hex')
    .slice(0, 32)}`;

/** Every event id the outbox may hold about a survey: its answers' (each version) and its case's. */
export const webhookEventIdsOfSurvey = (surveyId: string, versions: number) => [
  ...Array.from({ length: versions }, (_, index) => [
    webhookEventIdOf('response.created', surveyId, index + 1),
    webhookEventIdOf('response.changed', surveyId, index + 1),
  ]).flat(),
  // A case is keyed by its survey's id.
  webhookEventIdOf('case.opened', surveyId),
  webhookEventIdOf('case.closed', surveyId),
];

/** Every event id the outbox may hold about a customer themselves: their unsubscribes. */
export const webhookEventIdsOfCustomer = (customerId: string) =>
  (['unsubscribed', 'bounced', 'complained'] as const).map((reason) =>
    webhookEventIdOf('customer.unsubscribed', customerId, reason),
  );

export interface WebhookEvent<Data = Record<string, unknown>> {
  readonly id: string;
  readonly type: string;
  readonly createdAt: string;
  readonly data: Data;
}

interface CountedAnswer {
  readonly score: number;
  readonly comment?: string;
  readonly reasons: readonly string[];
  readonly at: string;
}

/**
 * `response.created` (the survey's first answer that counts) or `response.changed` (a later one),
 * for the counted answer at `version`. Held or discarded answers (link scanners') never get here.
 */
export const responseEventOf = (
  survey: { surveyId: string; customerId: string; storeId: string },
  answer: CountedAnswer,
  version: number,
  previousScore: number | undefined,
): WebhookEvent => {
  const type = previousScore === undefined ? 'response.created' : 'response.changed';
  return {
    id: webhookEventIdOf(type, survey.surveyId, version),
    type,
    createdAt: answer.at,
    data: {
      surveyId: survey.surveyId,
      customerId: survey.customerId,
      storeId: survey.storeId,
      score: answer.score,
      category: categoryOf(answer.score),
      ...(answer.comment !== undefined && { comment: answer.comment }),
      reasons: [...answer.reasons],
      answeredAt: answer.at,
      version,
      ...(previousScore !== undefined && { previousScore }),
    },
  };
};

interface CaseFacts {
  readonly caseId: string;
  readonly surveyId: string;
  readonly customerId: string;
  readonly storeId: string;
  readonly score: number;
  readonly openedAt: string;
}

/** What every case event says of its case. */
const caseFactsOf = (caseRecord: CaseFacts) => ({
  caseId: caseRecord.caseId,
  surveyId: caseRecord.surveyId,
  customerId: caseRecord.customerId,
  storeId: caseRecord.storeId,
  score: caseRecord.score,
});

/** `case.opened`: a detractor's case, with its owner's role and when it is due (no names, no addresses). */
export const caseOpenedEventOf = (
  caseRecord: CaseFacts & { reasons: readonly string[]; comment?: string; ownerRole: string; dueAt: string },
): WebhookEvent => ({
  id: webhookEventIdOf('case.opened', caseRecord.caseId),
  type: 'case.opened',
  createdAt: caseRecord.openedAt,
  data: {
    ...caseFactsOf(caseRecord),
    ...(caseRecord.comment !== undefined && { comment: caseRecord.comment }),
    reasons: [...caseRecord.reasons],
    ownerRole: caseRecord.ownerRole,
    openedAt: caseRecord.openedAt,
    dueAt: caseRecord.dueAt,
  },
});

/** `case.closed`: how it was resolved and whether anyone called first (the managers' notes stay in). */
export const caseClosedEventOf = (
  caseRecord: CaseFacts & { closedAt: string; resolution: { kind: string }; firstContactAt?: string },
): WebhookEvent => ({
  id: webhookEventIdOf('case.closed', caseRecord.caseId),
  type: 'case.closed',
  createdAt: caseRecord.closedAt,
  data: {
    ...caseFactsOf(caseRecord),
    resolution: caseRecord.resolution.kind,
    contacted: caseRecord.firstContactAt !== undefined,
    openedAt: caseRecord.openedAt,
    closedAt: caseRecord.closedAt,
  },
});

/**
 * `customer.unsubscribed`: the customer gets no more mail, because they unsubscribed, their address
 * bounced, or they complained (`reason`). One event per customer and reason.
 */
export const customerUnsubscribedEventOf = (
  customerId: string,
  reason: 'unsubscribed' | 'bounced' | 'complained',
  at: string,
): WebhookEvent => ({
  id: webhookEventIdOf('customer.unsubscribed', customerId, reason),
  type: 'customer.unsubscribed',
  createdAt: at,
  data: { customerId, reason, at },
});

/** A signing secret of an endpoint; `expiresAt` is set once a rotation replaced it. */
export interface WebhookSecret {
  readonly secret: string;
  readonly createdAt: string;
  readonly expiresAt?: string;
}

/** A new signing secret: 32 random bytes, base64url, prefixed so that it is recognised if leaked. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The secrets a delivery is signed with at `now`: every one not yet expired, newest first. */
export const activeSecretsOf = (secrets: readonly WebhookSecret[], now: Date) =>
  secrets
    .filter((secret) => secret.expiresAt === undefined || Date.parse(secret.expiresAt) > now.getTime())
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((secret) => secret.secret);

/** The default grace period of a rotated secret: a day to roll the new one out on the receiver. */
export const defaultRotationGraceHours = 24;

/**
 * An endpoint's secrets after a rotation at `now`: the new one, the active ones expiring after the
 * grace period (or sooner if they already were to), the expired ones dropped.
 */
export const rotatedSecrets = (
  secrets: readonly WebhookSecret[],
  fresh: string,
  now: Date,
  graceHours: number,
): WebhookSecret[] => {
  const graceEnd = new Date(now.getTime() + graceHours * 3_600_000).toISOString();
  return [
    { secret: fresh, createdAt: now.toISOString() },
    ...secrets
      .filter((secret) => secret.expiresAt === undefined || Date.parse(secret.expiresAt) > now.getTime())
      .map((secret) => ({
        ...secret,
        expiresAt:
          secret.expiresAt !== undefined && secret.expiresAt < graceEnd ? secret.expiresAt : graceEnd,
      })),
  ];
};

/** A delivery's outcome from its HTTP status (0: no answer): only a 2xx delivers; anything else is retried. */
export const isDelivered = (status: number) => status >= 200 && status < 300;

/**
 * The wait after a failed delivery (`receiveCount` tries so far): `base` doubling with each try, at most
 * an hour. With the Webhooks queue's 15 receives and a 30 s base, an endpoint is tried for about 8 h
 * before the delivery goes to the dead-letter queue.
 */
export const webhookRetryDelaySeconds = (receiveCount: number, baseSeconds: number) =>
  Math.min(3_600, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
