import { randomBytes } from 'node:crypto';
import type { ChatChannelRepository } from '../adapters/chat-channel-repository';
import type { ChatPostResult, ChatWebhook } from '../adapters/chat-webhook';
import type { Once } from '../adapters/idempotency';
import type { StoreRepository } from '../adapters/store-repository';
import {
  channelsToTell,
  chatPostKeyOf,
  maskWebhookUrl,
  scopeKeyOf,
  scopeKeysOfStore,
  scopeText,
} from '../domain/chat';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { ChatChannelInput, type ChatChannelRecord, type ChatPostRequest } from '../schemas/chat';
import { describeIssues } from '../schemas/common';
import {
  chatAlertMessage,
  chatDigestMessage,
  chatPayloadOf,
  chatTestMessage,
} from '../templates/chat-messages';

/** What the chat-posts function runs with: the channels registry (read), the webhooks, `once`. */
export interface ChatPostDeps {
  readonly channels: Pick<ChatChannelRepository, 'forScopes'>;
  readonly webhook: ChatWebhook;
  readonly once: Once;
  /** Told of a post a webhook refused for good (4xx other than 429): it is not retried. */
  readonly onRejected?: (details: { channelId: string; kind: string; status: number }) => void;
}

/**
 * Posts one alert or digest to each channel that hears of it (the store's, its region's, the chain's;
 * each webhook once), each post once per channel and case (or store and day) under `once`, so a
 * redelivered message posts nothing more. The channels are posted together; if any failed for now
 * (429, 5xx, network), this throws and the queue retries the message with backoff: the channels that
 * took it are skipped then. A post a webhook refuses for good is recorded as done and reported.
 */
export const postToChat = async (deps: ChatPostDeps, request: ChatPostRequest) => {
  const event = request.event === 'alert' ? 'alerts' : 'digest';
  const channels = channelsToTell(await deps.channels.forScopes(scopeKeysOfStore(request)), event);
  const message =
    request.event === 'alert'
      ? chatAlertMessage(request.message)
      : chatDigestMessage({ ...request.message, date: request.date });
  const results = await Promise.allSettled(
    channels.map(async (channel) => {
      const result = await deps.once(
        chatPostKeyOf(channel.channelId, request),
        async (): Promise<ChatPostResult> =>
          deps.webhook.post(channel.url, chatPayloadOf(channel.kind, message)),
      );
      if (result.outcome === 'rejected')
        deps.onRejected?.({ channelId: channel.channelId, kind: channel.kind, status: result.status });
      return result.outcome;
    }),
  );
  const failure = results.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  const outcomes = results.map((result) => (result as PromiseFulfilledResult<string>).value);
  return {
    channels: channels.length,
    delivered: outcomes.filter((outcome) => outcome === 'delivered').length,
    rejected: outcomes.filter((outcome) => outcome === 'rejected').length,
  };
};

/** A channel as listings show it: the URL masked. */
export const listedChannelOf = (channel: ChatChannelRecord) => ({
  channelId: channel.channelId,
  scope: scopeText(channel.scope),
  kind: channel.kind,
  events: channel.events,
  url: maskWebhookUrl(channel.url),
  createdAt: channel.createdAt,
});
export type ListedChatChannel = ReturnType<typeof listedChannelOf>;

export interface ChatAdminDeps {
  readonly channels: Pick<ChatChannelRepository, 'add' | 'forScopes' | 'listAll' | 'get' | 'remove'>;
  readonly stores: Pick<StoreRepository, 'get' | 'listAll'>;
  readonly clock?: () => Date;
}

/**
 * Adds a chat channel, after checking its input and that its store or region exists (a typo would
 * otherwise post nothing, silently). Adding the same webhook to the same scope again changes
 * nothing; the same webhook with other settings is a conflict (remove it first).
 */
export const addChatChannel = async (
  deps: ChatAdminDeps,
  input: unknown,
  options: { allowLoopbackHttp?: boolean } = {},
): Promise<{ channel: ListedChatChannel; created: boolean }> => {
  const parsed = ChatChannelInput(options).safeParse(input);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error.issues);
    throw new ValidationError(`invalid chat channel: ${issues.join('; ')}`, issues);
  }
  const { scope, kind, url, events } = parsed.data;
  if (scope.kind === 'store' && (await deps.stores.get(scope.storeId)) === undefined)
    throw new ValidationError(`scope: no store ${scope.storeId} in the registry`);
  if (
    scope.kind === 'region' &&
    !(await deps.stores.listAll()).some(
      (store) => store.regionalManagerEmail?.toLowerCase() === scope.regionalManagerEmail,
    )
  )
    throw new ValidationError(
      `scope: no store has ${scope.regionalManagerEmail} as its regional manager (a region is named by its regional manager's e-mail)`,
    );
  const scopeKey = scopeKeyOf(scope);
  const same = (await deps.channels.forScopes([scopeKey])).find((channel) => channel.url === url);
  if (same !== undefined) {
    const unchanged =
      same.kind === kind && [...same.events].sort().join() === [...new Set(events)].sort().join();
    if (unchanged) return { channel: listedChannelOf(same), created: false };
    throw new ConflictError(
      `this webhook is already configured for ${scopeText(scope)} as ${same.channelId}, with other settings: remove it first`,
    );
  }
  const channel: ChatChannelRecord = {
    channelId: `ch-${randomBytes(5).toString('hex')}`,
    scopeKey,
    scope,
    kind,
    url,
    events: [...new Set(events)],
    createdAt: (deps.clock ?? (() => new Date()))().toISOString(),
  };
  await deps.channels.add(channel);
  return { channel: listedChannelOf(channel), created: true };
};

export const listChatChannels = async (deps: Pick<ChatAdminDeps, 'channels'>) =>
  (await deps.channels.listAll()).map(listedChannelOf);

export const removeChatChannel = async (deps: Pick<ChatAdminDeps, 'channels'>, channelId: string) => {
  if (!(await deps.channels.remove(channelId))) throw new NotFoundError(`no chat channel ${channelId}`);
};

/** Posts a test message to a channel now (not queued, not remembered): what the webhook answered. */
export const testChatChannel = async (
  deps: { channels: Pick<ChatChannelRepository, 'get'>; webhook: ChatWebhook },
  channelId: string,
) => {
  const channel = await deps.channels.get(channelId);
  if (channel === undefined) throw new NotFoundError(`no chat channel ${channelId}`);
  const message = chatTestMessage({ scope: scopeText(channel.scope), events: channel.events });
  return deps.webhook.post(channel.url, chatPayloadOf(channel.kind, message));
};
