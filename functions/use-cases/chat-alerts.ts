import { randomBytes } from 'node:crypto';
import type { CaseRepository } from '../adapters/case-repository';
import type { ChatChannelRepository } from '../adapters/chat-channel-repository';
import type { ChatPostResult, ChatWebhook } from '../adapters/chat-webhook';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { Once } from '../adapters/idempotency';
import type { StoreRepository } from '../adapters/store-repository';
import type { TaskQueue } from '../adapters/task-queue';
import {
  channelsToTell,
  chatPostKeyOf,
  maskWebhookUrl,
  scopeKeyOf,
  scopeKeysOfStore,
  scopeText,
} from '../domain/chat';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import {
  ChatChannelInput,
  type ChatChannelRecord,
  type ChatEvent,
  type ChatPost,
  type ChatPostTask,
} from '../schemas/chat';
import { describeIssues } from '../schemas/common';
import { caseLink } from '../templates/alert-email';
import {
  chatAlertMessage,
  chatDigestMessage,
  chatPayloadOf,
  chatTestMessage,
} from '../templates/chat-messages';

/** What the follow-up function needs to tell chat channels. */
export interface ChatDeps {
  readonly channels: Pick<ChatChannelRepository, 'get' | 'forScopes'>;
  readonly webhook: ChatWebhook;
  /** The follow-up queue: one `chat-post` task per channel, retried on its own with backoff. */
  readonly queue: Pick<TaskQueue, 'sendAll'>;
  /** Told of a post a webhook refused for good (4xx other than 429): it is not retried. */
  readonly onRejected?: (details: { channelId: string; kind: string; status: number }) => void;
}

const eventOf = (post: ChatPost): ChatEvent => (post.event === 'alert' ? 'alerts' : 'digest');

/**
 * Queues one post per channel that hears of this store's event (the store's, its region's, the
 * chain's; each webhook once). Called after the e-mail went, so a channel never holds the e-mail
 * up; queued again by a redelivered task, a post still goes once (`postToChat`).
 */
export const queueChatPosts = async (
  chat: ChatDeps,
  store: { storeId: string; regionalManagerEmail?: string },
  post: ChatPost,
): Promise<number> => {
  const channels = channelsToTell(await chat.channels.forScopes(scopeKeysOfStore(store)), eventOf(post));
  await chat.queue.sendAll(
    channels.map((channel): ChatPostTask => ({ kind: 'chat-post', channelId: channel.channelId, post })),
  );
  return channels.length;
};

export interface ChatPostDeps {
  readonly chat: ChatDeps;
  readonly cases: Pick<CaseRepository, 'get'>;
  readonly customers: Pick<CustomerRepository, 'get'>;
  readonly stores: Pick<StoreRepository, 'get'>;
  readonly once: Once;
  /** The managers' page, `{apiUrl}/m`. */
  readonly casesUrl: string;
}

/**
 * Posts one alert or digest to one channel, once per channel and case (or store and day): the post
 * runs under `once`, as the alert e-mail does, so a redelivered task posts nothing more. A webhook
 * that fails for now (429, 5xx, network) throws and leaves no record, so the queue retries the task
 * with backoff; one that refuses the post for good (another 4xx) is recorded as done and reported.
 */
export const postToChat = async (deps: ChatPostDeps, task: ChatPostTask) => {
  const channel = await deps.chat.channels.get(task.channelId);
  if (channel === undefined || !channel.events.includes(eventOf(task.post))) return 'chat-channel-gone';
  const message = await messageOf(deps, task.post);
  if (message === undefined) return 'chat-nothing-to-post';
  const result = await deps.once(
    chatPostKeyOf(channel.channelId, task.post),
    async (): Promise<ChatPostResult> =>
      deps.chat.webhook.post(channel.url, chatPayloadOf(channel.kind, message)),
  );
  if (result.outcome === 'rejected') {
    deps.chat.onRejected?.({ channelId: channel.channelId, kind: channel.kind, status: result.status });
    return 'chat-rejected';
  }
  return 'chat-posted';
};

/** What a post says, from the case or the digest's figures; nothing for a case erased or gone. */
const messageOf = async (deps: ChatPostDeps, post: ChatPost) => {
  if (post.event === 'digest') {
    const store = await deps.stores.get(post.storeId);
    return chatDigestMessage({
      ...post,
      storeName: store?.name ?? post.storeId,
      casesUrl: deps.casesUrl,
      language: store?.language ?? 'en',
    });
  }
  const caseRecord = await deps.cases.get(post.caseId);
  if (caseRecord === undefined || caseRecord.erasedAt !== undefined) return undefined;
  const [store, customer] = await Promise.all([
    deps.stores.get(caseRecord.storeId),
    deps.customers.get(caseRecord.customerId),
  ]);
  return chatAlertMessage({
    storeName: store?.name ?? caseRecord.storeId,
    firstName: customer?.firstName,
    score: caseRecord.score,
    comment: caseRecord.comment,
    reasons: caseRecord.reasons,
    dueAt: caseRecord.dueAt,
    caseUrl: caseLink(deps.casesUrl, caseRecord.caseId),
    language: store?.language ?? 'en',
    timeZone: store?.timezone ?? 'UTC',
  });
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
