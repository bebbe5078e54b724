/** What one POST to an endpoint came to: its status (0: no answer) and how long it took. */
export interface WebhookPostResult {
  readonly status: number;
  readonly durationMs: number;
  /** Why there was no answer: a timeout or the network's error code (never the URL). */
  readonly error?: string;
}

/** How long an endpoint may take to answer: well inside the webhooks function's 30 s. */
export const webhookTimeoutMs = 10_000;

/**
 * POSTs signed JSON bodies with `fetch`. Redirects are not followed (a 3xx is not a delivery), the
 * answer's body is not read, and a timeout or network failure is a result, not an error.
 */
export const createWebhookSender = (fetchFn: typeof fetch = fetch, timeoutMs = webhookTimeoutMs) => ({
  async post(
    url: string,
    body: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<WebhookPostResult> {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'closeloop-webhooks/1', ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      return { status: response.status, durationMs: durationMs() };
    } catch (error) {
      const { name, cause } = error as Error & { cause?: { code?: string } };
      return {
        status: 0,
        durationMs: durationMs(),
        error:
          name === 'TimeoutError'
            ? `no answer within ${timeoutMs} ms`
            : (cause?.code ?? name ?? 'network error'),
      };
    }
  },
});

export type WebhookSender = ReturnType<typeof createWebhookSender>;
