import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signatures of outgoing webhooks, as a receiver checks them: the header
 * `closeloop-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, each `v1` the HMAC-SHA256, under one
 * of the endpoint's active secrets, of `<t>.<raw body>`. Several `v1` appear while a rotated secret's
 * grace period runs. Pure (node:crypto only): receivers may copy this file.
 */
export const signatureHeaderName = 'closeloop-signature';

/** How far a signature's timestamp may be from the receiver's clock: five minutes either way. */
export const replayToleranceSeconds = 300;

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under `secret` (its UTF-8 bytes). */
export const signatureOf = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The header value for a body, signed with every active secret at `timestamp` (unix seconds). */
export const signatureHeaderOf = (body: string, secrets: readonly string[], timestamp: number) =>
  [`t=${timestamp}`, ...secrets.map((secret) => `v1=${signatureOf(secret, timestamp, body)}`)].join(',');

export type VerifyResult =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'too-old' | 'too-new' | 'mismatch' };

/**
 * Checks a webhook as received: the raw body exactly as it came (before any JSON parsing), the
 * `closeloop-signature` header, and the secret (or, while rotating on the receiver's side, the
 * secrets) it holds. Refuses a timestamp more than `toleranceSeconds` from `nowSeconds` (a replay),
 * and compares in constant time.
 */
export const verifyWebhookSignature = ({
  body,
  header,
  secrets,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = replayToleranceSeconds,
}: {
  body: string;
  header: string | undefined;
  secrets: string | readonly string[];
  nowSeconds?: number;
  toleranceSeconds?: number;
}): VerifyResult => {
  const parts = (header ?? '').split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([name]) => name === 't').map(([, value]) => value ?? '');
  const signatures = parts.filter(([name]) => name === 'v1').map(([, value]) => value ?? '');
  const timestamp = Number(timestamps[0]);
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0] ?? '') || signatures.length === 0)
    return { ok: false, reason: 'malformed' };
  if (timestamp < nowSeconds - toleranceSeconds) return { ok: false, reason: 'too-old' };
  if (timestamp > nowSeconds + toleranceSeconds) return { ok: false, reason: 'too-new' };
  const received = signatures
    .filter((signature) => /^[0-9a-f]{64}$/.test(signature))
    .map((signature) => Buffer.from(signature, 'hex'));
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
    if (received.some((signature) => timingSafeEqual(signature, expected))) return { ok: true, timestamp };
  }
  return { ok: false, reason: 'mismatch' };
};
