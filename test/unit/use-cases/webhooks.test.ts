import { beforeEach, describe, expect, it } from 'vitest';
import type { WebhookPostResult } from '../../../functions/adapters/webhook-sender';
import { ValidationError } from '../../../functions/domain/errors';
import { verifyWebhookSignature } from '../../../functions/domain/webhook-signature';
import type { WebhookAttemptRecord, WebhookEndpointRecord } from '../../../functions/schemas/webhooks';
import {
  addWebhookEndpoint,
  deliverWebhook,
  fanOutWebhookEvent,
  listWebhookEndpoints,
  rotateWebhookSecret,
  WebhookDeliveryFailedError,
} from '../../../functions/use-cases/webhooks';
import { createOnce } from '../../support/in-memory-effects';

const at = new Date('2026-12-01T10:00:00.000Z');
const event = {
  id: 'evt_0123',
  type: 'case.opened',
  createdAt: '2026-12-01T09:59:00.000Z',
  data: { caseId: 'sv-1', comment: 'Très lent ✓' },
};

/** An in-memory endpoint registry and delivery log, and a sender that answers what it is told. */
const createWorld = () => {
  const endpoints = new Map<string, WebhookEndpointRecord>();
  const log: WebhookAttemptRecord[] = [];
  const posts: { url: string; body: string; headers: Readonly<Record<string, string>> }[] = [];
  const answers: WebhookPostResult[] = [];
  const repository = {
    get: async (id: string) => structuredClone(endpoints.get(id)),
    listAll: async () => [...endpoints.values()],
    add: async (endpoint: WebhookEndpointRecord) => {
      endpoints.set(endpoint.endpointId, structuredClone(endpoint));
    },
    remove: async (id: string) => endpoints.delete(id),
    replaceSecrets: async (id: string, previous: unknown, secrets: WebhookEndpointRecord['secrets']) => {
      const endpoint = endpoints.get(id);
      if (endpoint === undefined || JSON.stringify(endpoint.secrets) !== JSON.stringify(previous))
        return false;
      endpoint.secrets = structuredClone(secrets);
      return true;
    },
    logAttempt: async (attempt: WebhookAttemptRecord) => {
      log.push(attempt);
    },
    recentAttempts: async () => [...log].reverse(),
  };
  const sender = {
    post: async (url: string, body: string, headers: Readonly<Record<string, string>>) => {
      posts.push({ url, body, headers });
      return answers.shift() ?? { status: 204, durationMs: 12 };
    },
  };
  return { endpoints, log, posts, answers, repository, sender };
};

let world: ReturnType<typeof createWorld>;
beforeEach(() => {
  world = createWorld();
});

const addEndpoint = async (events: string[]) =>
  addWebhookEndpoint(
    { endpoints: world.repository, clock: () => at },
    { url: 'https://hooks.example.com/closeloop', events },
  );

describe('addWebhookEndpoint', () => {
  it('stores the endpoint with one fresh secret, returned once and never listed', async () => {
    const { endpoint, secret } = await addEndpoint(['case.*']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(world.endpoints.get(endpoint.endpointId)?.secrets).toEqual([
      { secret, createdAt: at.toISOString() },
    ]);
    const listed = await listWebhookEndpoints({ endpoints: world.repository, clock: () => at });
    expect(listed).toEqual([
      expect.objectContaining({ endpointId: endpoint.endpointId, events: ['case.*'], activeSecrets: 1 }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed[0]?.url).not.toContain('/closeloop');
  });

  it.each([
    ['http to another host', { url: 'http://hooks.example.com/x' }, /url: must be an https:\/\/ URL/],
    ['credentials in the URL', { url: 'https://user:pw@hooks.example.com/x' }, /url:/],
    [
      'an unknown event type',
      { url: 'https://hooks.example.com/x', events: ['case.reopened'] },
      /events\.0: must be one of/,
    ],
    ['no event type', { url: 'https://hooks.example.com/x', events: [] }, /events: must name at least one/],
  ])('refuses %s, saying what is wrong', async (_name, input, message) => {
    const adding = addWebhookEndpoint({ endpoints: world.repository }, input);
    await expect(adding).rejects.toBeInstanceOf(ValidationError);
    await expect(adding).rejects.toThrow(message);
  });

  it('takes http://localhost and http://127.0.0.1 on the local stack only', async () => {
    for (const url of ['http://localhost:8080/hook', 'http://127.0.0.1:9/hook']) {
      await expect(addWebhookEndpoint({ endpoints: world.repository }, { url })).rejects.toThrow(
        ValidationError,
      );
      await expect(
        addWebhookEndpoint({ endpoints: world.repository }, { url }, { allowLoopbackHttp: true }),
      ).resolves.toMatchObject({ endpoint: { events: ['*'] } });
    }
  });
});

describe('fanOutWebhookEvent', () => {
  it('queues one delivery per endpoint whose filter wants the event', async () => {
    const cases = await addEndpoint(['case.*']);
    await addEndpoint(['response.created']);
    const all = await addEndpoint(['*']);
    const sent: unknown[] = [];
    const result = await fanOutWebhookEvent(
      { endpoints: world.repository, deliveries: { sendAll: async (tasks) => void sent.push(...tasks) } },
      event,
    );
    expect(result).toEqual({ endpoints: 2 });
    expect(sent).toEqual([
      { endpointId: cases.endpoint.endpointId, event },
      { endpointId: all.endpoint.endpointId, event },
    ]);
  });
});

describe('deliverWebhook', () => {
  const deps = () => ({
    endpoints: world.repository,
    sender: world.sender,
    once: createOnce().once,
    clock: () => at,
  });

  it('posts the event as JSON, signed with the endpoint’s secret at the time of the try, and logs the attempt', async () => {
    const { endpoint, secret } = await addEndpoint(['*']);
    expect(await deliverWebhook(deps(), { endpointId: endpoint.endpointId, event }, 1)).toEqual({
      outcome: 'delivered',
      status: 204,
    });
    const [post] = world.posts;
    expect(post?.url).toBe('https://hooks.example.com/closeloop');
    expect(JSON.parse(post?.body ?? '')).toEqual(event);
    expect(post?.headers).toMatchObject({
      'closeloop-event-id': event.id,
      'closeloop-event-type': event.type,
    });
    const verified = verifyWebhookSignature({
      body: post?.body ?? '',
      header: post?.headers['closeloop-signature'],
      secrets: secret,
      nowSeconds: at.getTime() / 1000,
    });
    expect(verified).toEqual({ ok: true, timestamp: at.getTime() / 1000 });
    expect(world.log).toEqual([
      {
        endpointId: endpoint.endpointId,
        eventId: event.id,
        type: event.type,
        attempt: 1,
        status: 204,
        durationMs: 12,
        at: at.toISOString(),
      },
    ]);
  });

  it('throws on anything but a 2xx, so the queue retries it; logs each try; posts once after success', async () => {
    const { endpoint } = await addEndpoint(['*']);
    const task = { endpointId: endpoint.endpointId, event };
    const dependencies = deps();
    world.answers.push(
      { status: 503, durationMs: 5 },
      { status: 0, durationMs: 10_000, error: 'no answer within 10000 ms' },
      { status: 301, durationMs: 3 },
    );
    await expect(deliverWebhook(dependencies, task, 1)).rejects.toThrow(WebhookDeliveryFailedError);
    await expect(deliverWebhook(dependencies, task, 2)).rejects.toThrow(/did not answer \(no answer within/);
    await expect(deliverWebhook(dependencies, task, 3)).rejects.toThrow(/answered 301/);
    await deliverWebhook(dependencies, task, 4);
    await deliverWebhook(dependencies, task, 5);
    expect(world.posts).toHaveLength(4);
    expect(world.log.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 503],
      [2, 0],
      [3, 301],
      [4, 204],
    ]);
    expect(world.log[1]?.error).toBe('no answer within 10000 ms');
  });

  it('posts a delivered event once even when its attempt cannot be logged, and says so', async () => {
    const { endpoint } = await addEndpoint(['*']);
    const logFailures: unknown[] = [];
    const dependencies = {
      ...deps(),
      endpoints: { ...world.repository, logAttempt: () => Promise.reject(new Error('throttled')) },
      onLogFailed: (error: unknown) => logFailures.push(error),
    };
    const task = { endpointId: endpoint.endpointId, event };
    expect(await deliverWebhook(dependencies, task, 1)).toMatchObject({ outcome: 'delivered' });
    await deliverWebhook(dependencies, task, 2);
    expect(world.posts).toHaveLength(1);
    expect(logFailures).toEqual([new Error('throttled')]);
  });

  it('posts nothing to an endpoint removed since, or whose filter no longer wants the event', async () => {
    const { endpoint } = await addEndpoint(['response.*']);
    expect(await deliverWebhook(deps(), { endpointId: endpoint.endpointId, event }, 1)).toEqual({
      outcome: 'filtered-out',
    });
    expect(await deliverWebhook(deps(), { endpointId: 'we_gone', event }, 1)).toEqual({
      outcome: 'endpoint-removed',
    });
    expect(world.posts).toEqual([]);
  });

  it('signs with the old and the new secret during a rotation’s grace period', async () => {
    const { endpoint, secret: old } = await addEndpoint(['*']);
    const { secret: fresh, activeSecrets } = await rotateWebhookSecret(
      { endpoints: world.repository, clock: () => at },
      endpoint.endpointId,
      2,
    );
    expect(activeSecrets).toBe(2);
    const later = new Date(at.getTime() + 3_600_000);
    await deliverWebhook({ ...deps(), clock: () => later }, { endpointId: endpoint.endpointId, event }, 1);
    const [post] = world.posts;
    const header = post?.headers['closeloop-signature'] ?? '';
    expect(header.match(/v1=/g)).toHaveLength(2);
    for (const secret of [old, fresh])
      expect(
        verifyWebhookSignature({
          body: post?.body ?? '',
          header,
          secrets: secret,
          nowSeconds: later.getTime() / 1000,
        }).ok,
      ).toBe(true);
    const afterGrace = new Date(at.getTime() + 2 * 3_600_000);
    await deliverWebhook(
      { ...deps(), clock: () => afterGrace },
      { endpointId: endpoint.endpointId, event: { ...event, id: 'evt_2' } },
      1,
    );
    expect(world.posts[1]?.headers['closeloop-signature']?.match(/v1=/g)).toHaveLength(1);
  });

  it('refuses a grace period outside 0-720 hours, and an unknown endpoint', async () => {
    const { endpoint } = await addEndpoint(['*']);
    await expect(
      rotateWebhookSecret({ endpoints: world.repository }, endpoint.endpointId, -1),
    ).rejects.toThrow(/grace/);
    await expect(rotateWebhookSecret({ endpoints: world.repository }, 'we_none')).rejects.toThrow(
      /no webhook endpoint we_none/,
    );
  });
});
