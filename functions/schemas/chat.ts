import * as z from 'zod/mini';
import { isLoopbackHost } from '../domain/chat';
import { email, identifier, isoTimestamp } from './common';

export const chatKinds = ['slack', 'teams'] as const;
export const ChatKind = z.enum(chatKinds);
export type ChatKind = z.infer<typeof ChatKind>;

/** What a channel is told of: detractor alerts, the daily digest. */
export const chatEvents = ['alerts', 'digest'] as const;
export const ChatEvent = z.enum(chatEvents);
export type ChatEvent = z.infer<typeof ChatEvent>;

/**
 * Whose alerts a channel gets: one store's, a region's (the stores whose regional manager has this
 * address: the registry knows a region by its regional manager and by nothing else), or the chain's.
 */
export const ChatScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('store'), storeId: identifier() }),
  z.object({ kind: z.literal('region'), regionalManagerEmail: email() }),
  z.object({ kind: z.literal('chain') }),
]);
export type ChatScope = z.infer<typeof ChatScope>;

/**
 * An incoming-webhook URL: https only (it carries its own secret, which must not travel in clear),
 * with no user name or password in it. `allowLoopbackHttp` lets a local stack post to a receiver on
 * this machine (`http://127.0.0.1:…`): the local CLI and the tests; never AWS.
 */
export const chatWebhookUrl = ({ allowLoopbackHttp = false }: { allowLoopbackHttp?: boolean } = {}) =>
  z.string().check(
    z.trim(),
    z.maxLength(2048, 'must be at most 2048 characters'),
    z.refine((text) => {
      const url = URL.parse(text);
      if (url === null || url.username !== '' || url.password !== '') return false;
      return (
        url.protocol === 'https:' ||
        (allowLoopbackHttp && url.protocol === 'http:' && isLoopbackHost(url.hostname))
      );
    }, 'must be an https:// incoming-webhook URL'),
  );

/** What `closeloop chat add` asks for. */
export const ChatChannelInput = (options: { allowLoopbackHttp?: boolean } = {}) =>
  z.object({
    scope: ChatScope,
    kind: ChatKind,
    url: chatWebhookUrl(options),
    events: z._default(z.array(ChatEvent).check(z.minLength(1, 'must name alerts, digest or both')), [
      ...chatEvents,
    ]),
  });
export type ChatChannelInput = z.infer<ReturnType<typeof ChatChannelInput>>;

/** A chat channel as stored: `scopeKey` (`store#S1`, `region#ann@example.com`, `chain`) is indexed. */
export const ChatChannelRecord = z.object({
  channelId: z.string().check(z.minLength(1)),
  scopeKey: z.string().check(z.minLength(1)),
  scope: ChatScope,
  kind: ChatKind,
  /** A secret: never logged, shown masked (`maskWebhookUrl`). */
  url: z.string(),
  events: z.array(ChatEvent),
  createdAt: isoTimestamp(),
});
export type ChatChannelRecord = z.infer<typeof ChatChannelRecord>;

/** What a chat post says: a detractor case's alert, or a store's digest with its figures of the day. */
export const ChatPost = z.discriminatedUnion('event', [
  z.object({ event: z.literal('alert'), caseId: z.string().check(z.minLength(1)) }),
  z.object({
    event: z.literal('digest'),
    storeId: identifier(),
    date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
    promoters: z.number(),
    passives: z.number(),
    detractors: z.number(),
    openCases: z.number(),
  }),
]);
export type ChatPost = z.infer<typeof ChatPost>;

/** A message on the follow-up queue: post one alert or digest to one channel, once. */
export const ChatPostTask = z.object({
  kind: z.literal('chat-post'),
  channelId: z.string().check(z.minLength(1)),
  post: ChatPost,
});
export type ChatPostTask = z.infer<typeof ChatPostTask>;
