import { isLoopbackHost, webhookOutcomeOf } from '../domain/chat';

/**
 * A webhook that did not take the post this time (429, 5xx, timeout, network): the task is retried.
 * Its message names the status or error code only, never the URL, which holds the webhook's secret.
 */
export class ChatWebhookUnavailableError extends Error {
  override readonly name = 'ChatWebhookUnavailableError';
}

export type ChatPostResult =
  | { readonly outcome: 'delivered' }
  | { readonly outcome: 'rejected'; readonly status: number };

/** How long a webhook may take to answer: well inside the follow-up function's 30 s. */
const timeoutMs = 10_000;

/**
 * Posts JSON to chat incoming webhooks with `fetch`. Redirects are not followed (a webhook answers
 * itself), and only https URLs are posted to, or http ones on this machine (a local test receiver).
 */
export const createChatWebhook = (fetchFn: typeof fetch = fetch) => ({
  async post(url: string, payload: unknown): Promise<ChatPostResult> {
    const target = URL.parse(url);
    if (
      target === null ||
      !(target.protocol === 'https:' || (target.protocol === 'http:' && isLoopbackHost(target.hostname)))
    )
      return { outcome: 'rejected', status: 0 };
    let response: Response;
    try {
      response = await fetchFn(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const { name, cause } = error as Error & { cause?: { code?: string } };
      throw new ChatWebhookUnavailableError(
        `the webhook could not be reached (${cause?.code ?? name ?? 'network error'})`,
      );
    }
    await response.body?.cancel();
    const outcome = webhookOutcomeOf(response.status);
    if (outcome === 'retry') throw new ChatWebhookUnavailableError(`the webhook answered ${response.status}`);
    return outcome === 'delivered' ? { outcome } : { outcome, status: response.status };
  },
});

export type ChatWebhook = ReturnType<typeof createChatWebhook>;
