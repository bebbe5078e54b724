import { describe, expect, it, vi } from 'vitest';
import type { ChatPostResult } from '../../../functions/adapters/chat-webhook';
import type { ChatChannelRecord, ChatPostRequest } from '../../../functions/schemas/chat';
import { type ChatPostDeps, postToChat } from '../../../functions/use-cases/chat-alerts';

const channelOf = (channelId: string, scopeKey: string, url: string): ChatChannelRecord => ({
  channelId,
  scopeKey,
  scope: scopeKey === 'chain' ? { kind: 'chain' } : { kind: 'store', storeId: 'S1' },
  kind: 'slack',
  url,
  events: ['alerts'],
  createdAt: '2026-11-01T00:00:00.000Z',
});
const storeChannel = channelOf('ch-1', 'store#S1', 'https://hooks.slack.com/services/T/B/store');
const chainChannel = channelOf('ch-2', 'chain', 'https://hooks.slack.com/services/T/B/chain');
const alert: ChatPostRequest = {
  event: 'alert',
  storeId: 'S1',
  caseId: 'c1',
  message: {
    storeName: 'Lyon',
    firstName: 'Ada',
    score: 2,
    comment: 'slow',
    reasons: [],
    dueAt: '2026-11-02T00:00:00.000Z',
    caseUrl: 'https://surveys.example.test/m?case=c1',
    language: 'en',
    timeZone: 'Europe/Paris',
  },
};

/** Remembers each key's result, as Powertools idempotency does; a throwing run leaves nothing. */
const memoryOnce = () => {
  const done = new Map<string, Record<string, unknown>>();
  return (async (key: string, work: () => Promise<Record<string, unknown>>) => {
    if (!done.has(key)) done.set(key, await work());
    return done.get(key);
  }) as ChatPostDeps['once'];
};

const depsWith = (
  post: (url: string, payload?: unknown) => Promise<ChatPostResult>,
  channels: ChatChannelRecord[] = [storeChannel],
) => {
  const onRejected = vi.fn();
  const webhook = { post: vi.fn(post) };
  const forScopes = vi.fn(async (scopeKeys: readonly string[]) =>
    channels.filter((channel) => scopeKeys.includes(channel.scopeKey)),
  );
  const deps: ChatPostDeps = { channels: { forScopes }, webhook, once: memoryOnce(), onRejected };
  return { deps, webhook, onRejected, forScopes };
};

describe('postToChat', () => {
  it("posts to the store's, the region's and the chain's channels, once each however often the message comes", async () => {
    const { deps, webhook, forScopes } = depsWith(
      async () => ({ outcome: 'delivered' }),
      [storeChannel, chainChannel],
    );
    const request = { ...alert, regionalManagerEmail: 'ann@example.com' };
    expect(await postToChat(deps, request)).toEqual({ channels: 2, delivered: 2, rejected: 0 });
    expect(await postToChat(deps, request)).toEqual({ channels: 2, delivered: 2, rejected: 0 });
    expect(webhook.post).toHaveBeenCalledTimes(2);
    expect(forScopes).toHaveBeenCalledWith(['store#S1', 'region#ann@example.com', 'chain']);
    expect(JSON.stringify(webhook.post.mock.calls[0]?.[1])).toContain('Ada');
  });

  it('reports a refusal by channel id and status, without the URL, and does not post it again', async () => {
    const { deps, webhook, onRejected } = depsWith(async () => ({ outcome: 'rejected', status: 404 }));
    expect(await postToChat(deps, alert)).toEqual({ channels: 1, delivered: 0, rejected: 1 });
    expect(await postToChat(deps, alert)).toEqual({ channels: 1, delivered: 0, rejected: 1 });
    expect(webhook.post).toHaveBeenCalledTimes(1);
    expect(onRejected).toHaveBeenCalledWith({ channelId: 'ch-1', kind: 'slack', status: 404 });
  });

  it('throws for the queue when a channel fails for now, and the retry posts to that channel only', async () => {
    let chainDown = true;
    const { deps, webhook } = depsWith(
      async (url) => {
        if (url === chainChannel.url && chainDown) throw new Error('the webhook answered 503');
        return { outcome: 'delivered' };
      },
      [storeChannel, chainChannel],
    );
    await expect(postToChat(deps, alert)).rejects.toThrow('503');
    chainDown = false;
    expect(await postToChat(deps, alert)).toEqual({ channels: 2, delivered: 2, rejected: 0 });
    expect(webhook.post.mock.calls.map(([url]) => url)).toEqual([
      storeChannel.url,
      chainChannel.url,
      chainChannel.url,
    ]);
  });

  it('posts nothing when no channel hears of the event', async () => {
    const digest: ChatPostRequest = {
      event: 'digest',
      storeId: 'S1',
      date: '2026-11-01',
      message: {
        storeName: 'Lyon',
        promoters: 1,
        passives: 0,
        detractors: 0,
        openCases: 0,
        casesUrl: 'https://surveys.example.test/m',
        language: 'en',
      },
    };
    const { deps, webhook } = depsWith(async () => ({ outcome: 'delivered' }));
    expect(await postToChat(deps, digest)).toEqual({ channels: 0, delivered: 0, rejected: 0 });
    expect(webhook.post).not.toHaveBeenCalled();
  });
});
