import { describe, expect, it, vi } from 'vitest';
import type { ChatPostResult } from '../../../functions/adapters/chat-webhook';
import type { CaseRecord } from '../../../functions/schemas/case';
import type { ChatChannelRecord, ChatPostTask } from '../../../functions/schemas/chat';
import { type ChatPostDeps, postToChat } from '../../../functions/use-cases/chat-alerts';

const channel: ChatChannelRecord = {
  channelId: 'ch-1',
  scopeKey: 'chain',
  scope: { kind: 'chain' },
  kind: 'slack',
  url: 'https://hooks.slack.com/services/T/B/secret',
  events: ['alerts'],
  createdAt: '2026-11-01T00:00:00.000Z',
};
const task: ChatPostTask = { kind: 'chat-post', channelId: 'ch-1', post: { event: 'alert', caseId: 'c1' } };
const caseRecord = {
  caseId: 'c1',
  storeId: 'S1',
  customerId: 'C1',
  score: 2,
  comment: 'slow',
  reasons: [],
  dueAt: '2026-11-02T00:00:00.000Z',
} as unknown as CaseRecord;

/** Remembers each key's result, as Powertools idempotency does; a throwing run leaves nothing. */
const memoryOnce = () => {
  const done = new Map<string, Record<string, unknown>>();
  return (async (key: string, work: () => Promise<Record<string, unknown>>) => {
    if (!done.has(key)) done.set(key, await work());
    return done.get(key);
  }) as ChatPostDeps['once'];
};

const depsWith = (post: () => Promise<ChatPostResult>, overrides: Partial<ChatPostDeps> = {}) => {
  const onRejected = vi.fn();
  const webhook = { post: vi.fn(post) };
  const deps: ChatPostDeps = {
    chat: {
      channels: { get: async () => channel, forScopes: async () => [channel] },
      webhook,
      queue: { sendAll: async () => {} },
      onRejected,
    },
    cases: { get: async () => caseRecord },
    customers: { get: async () => undefined },
    stores: { get: async () => undefined },
    once: memoryOnce(),
    casesUrl: 'https://surveys.example.test/m',
    ...overrides,
  };
  return { deps, webhook, onRejected };
};

describe('postToChat', () => {
  it('posts once per channel and case, however often the task comes', async () => {
    const { deps, webhook } = depsWith(async () => ({ outcome: 'delivered' }));
    expect(await postToChat(deps, task)).toBe('chat-posted');
    expect(await postToChat(deps, task)).toBe('chat-posted');
    expect(webhook.post).toHaveBeenCalledTimes(1);
  });

  it('reports a refusal by channel id and status, without the URL, and does not post it again', async () => {
    const { deps, webhook, onRejected } = depsWith(async () => ({ outcome: 'rejected', status: 404 }));
    expect(await postToChat(deps, task)).toBe('chat-rejected');
    expect(await postToChat(deps, task)).toBe('chat-rejected');
    expect(webhook.post).toHaveBeenCalledTimes(1);
    expect(onRejected).toHaveBeenCalledWith({ channelId: 'ch-1', kind: 'slack', status: 404 });
  });

  it('lets a passing failure throw, so the queue retries it', async () => {
    const { deps } = depsWith(async () => {
      throw new Error('the webhook answered 503');
    });
    await expect(postToChat(deps, task)).rejects.toThrow('503');
  });

  it('posts nothing for an erased case or a removed channel', async () => {
    const erased = depsWith(async () => ({ outcome: 'delivered' }), {
      cases: { get: async () => ({ ...caseRecord, erasedAt: '2026-11-03T00:00:00.000Z' }) },
    });
    expect(await postToChat(erased.deps, task)).toBe('chat-nothing-to-post');
    const removed = depsWith(async () => ({ outcome: 'delivered' }));
    const gone = {
      ...removed.deps,
      chat: { ...removed.deps.chat, channels: { get: async () => undefined, forScopes: async () => [] } },
    };
    expect(await postToChat(gone, task)).toBe('chat-channel-gone');
    expect(erased.webhook.post).not.toHaveBeenCalled();
    expect(removed.webhook.post).not.toHaveBeenCalled();
  });
});
