import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureHeaderName, verifyWebhookSignature } from '../../functions/domain/webhook-signature';

export interface ReceivedWebhook {
  readonly path: string;
  /** What the receiver answered. */
  readonly status: number;
  /** Whether the signature verified with the path's secrets, within the replay window. */
  readonly verified: boolean;
  readonly signatureHeader: string;
  readonly body: string;
  readonly event: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

/**
 * A real HTTP server on 127.0.0.1 that receives webhooks as a customer's system would: it verifies
 * each signature with the secrets it holds for the path (`verifyWebhookSignature`, the function the
 * docs show), answers 400 to a bad one, processes each event id once (`processed`), and fails the
 * next deliveries of a path with 500 when told to (`failNext`, or `failAlways`).
 */
export const startWebhookReceiver = async () => {
  const secrets = new Map<string, string[]>();
  const failures = new Map<string, number>();
  const alwaysFailing = new Set<string>();
  const received: ReceivedWebhook[] = [];
  /** The events each path processed, by id: a redelivery is acknowledged, not processed again. */
  const processed = new Map<string, Map<string, ReceivedWebhook>>();
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const path = request.url ?? '';
    const signatureHeader = String(request.headers[signatureHeaderName] ?? '');
    const verified = verifyWebhookSignature({
      body,
      header: signatureHeader,
      secrets: secrets.get(path) ?? [],
    }).ok;
    const toFail = failures.get(path) ?? 0;
    const status = !verified ? 400 : alwaysFailing.has(path) || toFail > 0 ? 500 : 200;
    if (toFail > 0 && verified) failures.set(path, toFail - 1);
    const delivery = { path, status, verified, signatureHeader, body, event: JSON.parse(body) };
    received.push(delivery);
    // Deduplicates by id, as receivers should.
    const ofPath = processed.get(path) ?? new Map<string, ReceivedWebhook>();
    if (status === 200 && !ofPath.has(delivery.event.id)) ofPath.set(delivery.event.id, delivery);
    processed.set(path, ofPath);
    response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path: string) => `${base}${path}`,
    /** The secrets the receiver checks a path's deliveries with. */
    trust: (path: string, ...pathSecrets: string[]) => secrets.set(path, pathSecrets),
    failNext: (path: string, count: number) => failures.set(path, count),
    failAlways: (path: string) => alwaysFailing.add(path),
    received,
    /** The events a path processed (each id once), in order. */
    processedAt: (path: string) =>
      [...(processed.get(path)?.values() ?? [])].map((delivery) => delivery.event),
    /** Every delivery to a path (taken or not), in order. */
    at: (path: string) => received.filter((delivery) => delivery.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
