import { describe, expect, it, vi } from 'vitest';
import { ChatWebhookUnavailableError, createChatWebhook } from '../../../functions/adapters/chat-webhook';
import {
  channelsToTell,
  maskWebhookUrl,
  scopeKeysOfStore,
  scopeOfText,
  webhookOutcomeOf,
} from '../../../functions/domain/chat';
import { ChatChannelInput } from '../../../functions/schemas/chat';

const slackUrl = 'https://hooks.slack.com/services/T0000/B0000/abcdefghijklmnopqrstWXYZ';

describe('ChatChannelInput', () => {
  const input = (url: string, scope: unknown = { kind: 'chain' }) => ({ scope, kind: 'slack', url });

  it('takes an https webhook and defaults to both alerts and digest', () => {
    expect(ChatChannelInput().parse(input(slackUrl))).toEqual({
      scope: { kind: 'chain' },
      kind: 'slack',
      url: slackUrl,
      events: ['alerts', 'digest'],
    });
  });

  it.each([
    ['http://hooks.slack.com/services/T/B/x', 'plain http'],
    ['ftp://example.com/hook', 'another scheme'],
    ['https://user:pass@example.com/hook', 'credentials in the URL'],
    ['not a url', 'no URL at all'],
    ['http://127.0.0.1:9000/hook', 'a loopback receiver outside the local stack'],
  ])('refuses %s (%s)', (url) => {
    const result = ChatChannelInput().safeParse(input(url));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be an https:// incoming-webhook URL');
  });

  it('takes a loopback http receiver when the local stack allows it, and no other http host', () => {
    const local = ChatChannelInput({ allowLoopbackHttp: true });
    expect(local.safeParse(input('http://127.0.0.1:9000/hook')).success).toBe(true);
    expect(local.safeParse(input('http://10.0.0.1:9000/hook')).success).toBe(false);
  });

  it('normalises a region to its regional manager’s lower-cased address and refuses a bad one', () => {
    const region = ChatChannelInput().parse(input(slackUrl, scopeOfText('region:Ann@Example.com')));
    expect(region.scope).toEqual({ kind: 'region', regionalManagerEmail: 'ann@example.com' });
    expect(ChatChannelInput().safeParse(input(slackUrl, scopeOfText('region:ann'))).success).toBe(false);
    expect(scopeOfText('shop:S1')).toBeUndefined();
  });
});

describe('channelsToTell', () => {
  it('reads the store’s, its region’s and the chain’s channels, most specific first', () => {
    expect(scopeKeysOfStore({ storeId: 'S1', regionalManagerEmail: 'Ann@example.com' })).toEqual([
      'store#S1',
      'region#ann@example.com',
      'chain',
    ]);
    expect(scopeKeysOfStore({ storeId: 'S1' })).toEqual(['store#S1', 'chain']);
  });

  it('keeps the channels that asked for the event, each webhook once', () => {
    const channels = [
      { channelId: 'store', url: 'https://a', events: ['alerts'] },
      { channelId: 'region', url: 'https://b', events: ['digest'] },
      { channelId: 'chain', url: 'https://a', events: ['alerts', 'digest'] },
    ];
    expect(channelsToTell(channels, 'alerts').map((channel) => channel.channelId)).toEqual(['store']);
    expect(channelsToTell(channels, 'digest').map((channel) => channel.channelId)).toEqual([
      'region',
      'chain',
    ]);
  });
});

describe('maskWebhookUrl', () => {
  it('shows the host and the last four characters, never the secret path', () => {
    expect(maskWebhookUrl(slackUrl)).toBe('https://hooks.slack.com/…WXYZ');
    expect(maskWebhookUrl(slackUrl)).not.toContain('T0000');
  });
});

describe('webhookOutcomeOf', () => {
  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'rejected'],
    [403, 'rejected'],
    [404, 'rejected'],
    [410, 'rejected'],
    [302, 'rejected'],
  ])('treats %i as %s', (status, outcome) => {
    expect(webhookOutcomeOf(status)).toBe(outcome);
  });
});

describe('createChatWebhook', () => {
  const answering = (status: number) => vi.fn(async () => new Response(null, { status })) as typeof fetch;

  it('posts JSON and reports a refusal with its status', async () => {
    const fetchFn = answering(404);
    expect(await createChatWebhook(fetchFn).post(slackUrl, { text: 'hi' })).toEqual({
      outcome: 'rejected',
      status: 404,
    });
    expect(fetchFn).toHaveBeenCalledWith(
      new URL(slackUrl),
      expect.objectContaining({ method: 'POST', body: '{"text":"hi"}', redirect: 'manual' }),
    );
  });

  it('throws a retryable error that never holds the URL on 429, 5xx and network failures', async () => {
    const failures = [
      answering(429),
      answering(500),
      vi.fn(async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      }) as typeof fetch,
    ];
    for (const fetchFn of failures) {
      const error = await createChatWebhook(fetchFn)
        .post(slackUrl, {})
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ChatWebhookUnavailableError);
      expect(JSON.stringify({ ...(error as Error), message: (error as Error).message })).not.toContain(
        'hooks.slack.com',
      );
    }
  });

  it('posts nowhere but https, or http on this machine', async () => {
    const fetchFn = answering(200);
    expect(await createChatWebhook(fetchFn).post('http://example.com/hook', {})).toEqual({
      outcome: 'rejected',
      status: 0,
    });
    expect(fetchFn).not.toHaveBeenCalled();
  });
});
