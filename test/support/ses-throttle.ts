import { localSesAccount } from '../../local/emulators/ses-local';
import { sesThrottle } from './aws-faults';
import { type ProxiedRequest, startFaultProxy } from './fault-proxy';

/** An e-mail SES accepted through the proxy: to whom, when, and its body as sent. */
export interface AcceptedSend {
  readonly to: string;
  readonly at: number;
  readonly body: string;
}

const isSend = (request: ProxiedRequest) =>
  request.method === 'POST' && request.path.startsWith('/v2/email/outbound-emails');

/**
 * A real HTTP proxy in front of the SES emulator that gives it an account's sending quota: it answers
 * SES v2 `GetAccount` with `maxSendRate`, and refuses sends over that rate as SES does (429
 * `TooManyRequestsException`, "Maximum sending rate exceeded"), from a token bucket that holds one
 * second of sends and refills continuously. Every sender, the tests' own included, shares it.
 */
export const startSesThrottle = async (target: string, { maxSendRate }: { maxSendRate: number }) => {
  const counts = { accepted: 0, throttled: 0, accountReads: 0 };
  const throttledTo = new Map<string, number>();
  const accepted: AcceptedSend[] = [];
  const listeners = new Set<(send: AcceptedSend) => void>();
  let tokens = maxSendRate;
  let filledAt = Date.now();
  const take = () => {
    const now = Date.now();
    tokens = Math.min(maxSendRate, tokens + ((now - filledAt) / 1_000) * maxSendRate);
    filledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
  const recipientOf = (body: string) => /"ToAddresses":\["([^"]+)"/.exec(body)?.[1] ?? '';
  const proxy = await startFaultProxy(target, {
    decide: (request) => {
      if (request.method === 'GET' && request.path.startsWith('/v2/email/account')) {
        counts.accountReads++;
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(localSesAccount(maxSendRate)),
        };
      }
      if (!isSend(request) || take()) return undefined;
      counts.throttled++;
      const to = recipientOf(request.body);
      throttledTo.set(to, (throttledTo.get(to) ?? 0) + 1);
      return sesThrottle();
    },
    observe: (request, response) => {
      if (!isSend(request) || response.status !== 200) return;
      counts.accepted++;
      const send = { to: recipientOf(request.body), at: Date.now(), body: request.body };
      accepted.push(send);
      for (const listener of listeners) listener(send);
    },
  });
  return {
    url: proxy.url,
    counts,
    /** Refused sends per recipient. */
    throttledTo,
    /** Every send SES accepted, in order. */
    accepted,
    /** Calls `listener` with each send accepted from now on; returns a function that stops it. */
    onAccepted(listener: (send: AcceptedSend) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => proxy.stop(),
  };
};

export type SesThrottle = Awaited<ReturnType<typeof startSesThrottle>>;
