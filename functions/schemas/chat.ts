import * as z from 'zod/mini';
import { languages } from '../domain/languages';
import { email, identifier, isoTimestamp } from './common';
import { outboundHttpsUrl } from './outbound-url';

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
export const chatWebhookUrl = (options: { allowLoopbackHttp?: boolean } = {}) =>
  outboundHttpsUrl('must be an https:// incoming-webhook URL', options);

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

const storeOfPost = {
  storeId: identifier(),
  /** The store's region, told as well when it has channels. */
  regionalManagerEmail: z.optional(z.string()),
};

/**
 * A message on the chat-posts queue: one alert or digest, to post to every channel of its store, its
 * region and the chain. It carries what the post says, so that the chat function reads the channels
 * and nothing else (no case, customer or store).
 */
export const ChatPostRequest = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('alert'),
    ...storeOfPost,
    caseId: z.string().check(z.minLength(1)),
    message: z.object({
      storeName: z.string(),
      /** The customer's first name only: never an address or a phone. */
      firstName: z.optional(z.string()),
      score: z.number(),
      comment: z.optional(z.string()),
      reasons: z.array(z.string()),
      dueAt: isoTimestamp(),
      caseUrl: z.url(),
      language: z.enum(languages),
      timeZone: z.string().check(z.minLength(1)),
    }),
  }),
  z.object({
    event: z.literal('digest'),
    ...storeOfPost,
    /** The day the figures are of. */
    date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
    message: z.object({
      storeName: z.string(),
      promoters: z.number(),
      passives: z.number(),
      detractors: z.number(),
      openCases: z.number(),
      casesUrl: z.url(),
      language: z.enum(languages),
    }),
  }),
]);
export type ChatPostRequest = z.infer<typeof ChatPostRequest>;
