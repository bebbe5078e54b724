/**
 * Chat channels (Slack and Teams incoming webhooks): which channels hear of a store, how a webhook
 * URL is shown, how a webhook's answer is treated. Pure: no SDK, no network.
 */

/** The loopback host names a local stack's test receiver listens on. */
export const isLoopbackHost = (hostname: string) =>
  hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';

export type ScopeOf =
  | { readonly kind: 'store'; readonly storeId: string }
  | { readonly kind: 'region'; readonly regionalManagerEmail: string }
  | { readonly kind: 'chain' };

/** The indexed key of a scope: `store#S1`, `region#ann@example.com`, `chain`. */
export const scopeKeyOf = (scope: ScopeOf) =>
  scope.kind === 'store'
    ? `store#${scope.storeId}`
    : scope.kind === 'region'
      ? `region#${scope.regionalManagerEmail}`
      : 'chain';

/** A scope as the CLI writes it (`store:S1`, `region:ann@example.com`, `chain`), for the schema to check. */
export const scopeOfText = (text: string): Record<string, string> | undefined => {
  const trimmed = text.trim();
  if (trimmed === 'chain') return { kind: 'chain' };
  const match = /^(store|region):(.*)$/s.exec(trimmed);
  if (match === null) return undefined;
  return match[1] === 'store'
    ? { kind: 'store', storeId: match[2] ?? '' }
    : { kind: 'region', regionalManagerEmail: match[2] ?? '' };
};

/** How a scope reads in a listing: `store:S1`, `region:ann@example.com`, `chain`. */
export const scopeText = (scope: ScopeOf) => scopeKeyOf(scope).replace('#', ':');

/** The scopes whose channels hear of a store: the store's own, its region's, the chain's; most specific first. */
export const scopeKeysOfStore = (store: { storeId: string; regionalManagerEmail?: string }) => [
  scopeKeyOf({ kind: 'store', storeId: store.storeId }),
  ...(store.regionalManagerEmail === undefined
    ? []
    : [scopeKeyOf({ kind: 'region', regionalManagerEmail: store.regionalManagerEmail.toLowerCase() })]),
  scopeKeyOf({ kind: 'chain' }),
];

/**
 * The channels to post one event to, from those of a store's scopes (most specific first): those that
 * asked for the event, each webhook once (a URL configured for the store and for the chain gets one
 * post, under the store's channel).
 */
export const channelsToTell = <Channel extends { url: string; events: readonly string[] }>(
  channels: readonly Channel[],
  event: 'alerts' | 'digest',
): Channel[] => {
  const seen = new Set<string>();
  return channels.filter((channel) => {
    if (!channel.events.includes(event) || seen.has(channel.url)) return false;
    seen.add(channel.url);
    return true;
  });
};

/**
 * A webhook URL as listings show it: the host and the last four characters, enough to tell channels
 * apart; the path and query, where the secret is, are hidden.
 */
export const maskWebhookUrl = (url: string) => {
  const parsed = URL.parse(url);
  const host = parsed === null ? '' : `${parsed.protocol}//${parsed.host}`;
  return `${host}/…${url.length > 12 ? url.slice(-4) : ''}`;
};

/**
 * What a webhook's HTTP status means: 2xx delivered; 429 and 5xx a passing failure to retry later;
 * any other 4xx a refusal (bad payload, channel archived or deleted, webhook revoked) that no retry
 * mends.
 */
export const webhookOutcomeOf = (status: number): 'delivered' | 'retry' | 'rejected' =>
  status >= 200 && status < 300
    ? 'delivered'
    : status === 429 || status >= 500 || status < 200
      ? 'retry'
      : 'rejected';

/**
 * Slack mrkdwn's control characters as HTML entities, as Slack asks of any text not meant for its
 * parsing (https://api.slack.com/reference/surfaces/formatting#escaping): only `&`, `<` and `>`.
 * `<!channel>` and `<https://x|link>` then show as typed instead of notifying or linking.
 */
export const escapeSlackText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The key under which one post to one channel is made once (`Once`). */
export const chatPostKeyOf = (
  channelId: string,
  post: { event: 'alert'; caseId: string } | { event: 'digest'; storeId: string; date: string },
) =>
  post.event === 'alert'
    ? `chat:${channelId}:alert:${post.caseId}`
    : `chat:${channelId}:digest:${post.storeId}:${post.date}`;
