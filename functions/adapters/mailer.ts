import { GetAccountCommand, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Pacer } from '../domain/pacing';

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface MailerConfig {
  /** `Name <address>` or an address of a verified SES identity. */
  readonly from: string;
  /** Configuration set whose event destination reports bounces and complaints. */
  readonly configurationSet?: string;
}

/** Sends e-mail through SES v2 (simple content with custom headers, HTML and text parts). */
export const createMailer = (ses: SESv2Client, config: MailerConfig) => ({
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: config.from,
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: config.configurationSet,
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
            Headers: Object.entries(email.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      }),
    );
    return { messageId: MessageId ?? '' };
  },
});

export type Mailer = Pick<ReturnType<typeof createMailer>, 'send'>;

/**
 * Whether SES refused a send for going over the account's sending rate: `TooManyRequestsException`
 * (HTTP 429) from SES v2, `Throttling` from SES v1, "Maximum sending rate exceeded" in either.
 */
export const isSesThrottling = (error: unknown): boolean => {
  const { name, message, $metadata } = (error ?? {}) as {
    name?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    name === 'TooManyRequestsException' ||
    name === 'Throttling' ||
    name === 'ThrottlingException' ||
    $metadata?.httpStatusCode === 429 ||
    /maximum sending rate exceeded/i.test(message ?? '')
  );
};

/**
 * A send that did not happen for lack of sending rate, to be tried again later without counting as
 * a failure: `paced` when no sending slot was free within the invocation's time left (SES was not
 * called), `throttled` when SES refused it over the rate.
 */
export class SendDeferredError extends Error {
  constructor(
    readonly reason: { kind: 'paced'; waitMs: number } | { kind: 'throttled' },
    options?: { cause?: unknown },
  ) {
    super(
      reason.kind === 'paced'
        ? `no sending slot within the time left (next in ${Math.round(reason.waitMs)} ms)`
        : 'SES throttled the send (maximum sending rate exceeded)',
      options,
    );
    this.name = 'SendDeferredError';
  }
}

/** The lowest sending rate SES gives (a sandbox account's): used while the account's own is unknown. */
export const FALLBACK_SEND_RATE = 1;
const quotaTtlMs = 5 * 60_000;

/**
 * The account's SES sending rate (`SendQuota.MaxSendRate` of SES v2 `GetAccount`), read when first
 * needed and again every five minutes. Should the call fail, the rate is `fallback` until the next
 * try, a minute later: sending slows down, it never goes faster than the account allows.
 */
export const createSendQuota = (
  ses: SESv2Client,
  {
    fallback = FALLBACK_SEND_RATE,
    now = Date.now,
    onFallback = () => undefined,
  }: { fallback?: number; now?: () => number; onFallback?: (error: unknown) => void } = {},
) => {
  let cached: { rate: Promise<number>; until: number } | undefined;
  const read = async (entry: { until: number }): Promise<number> => {
    try {
      const { SendQuota } = await ses.send(new GetAccountCommand({}));
      const rate = SendQuota?.MaxSendRate;
      if (rate === undefined || !(rate > 0)) throw new Error(`GetAccount gave no sending rate (${rate})`);
      return rate;
    } catch (error) {
      onFallback(error);
      entry.until = Math.min(entry.until, now() + 60_000);
      return fallback;
    }
  };
  return {
    /** Sends per second the account may make. */
    maxSendRate(): Promise<number> {
      if (cached === undefined || now() >= cached.until) {
        const entry = { until: now() + quotaTtlMs };
        cached = Object.assign(entry, { rate: read(entry) });
      }
      return cached.rate;
    },
  };
};

export type SendQuota = ReturnType<typeof createSendQuota>;

/**
 * A mailer that keeps to a sending rate: each send waits for its slot from `pacer`, at
 * `ratePerSecond()`, if that slot comes within `maxWaitMs()` (the invocation's time left, less what
 * the rest of the task needs); otherwise, and when SES throttles it all the same, the send fails with
 * a `SendDeferredError`, for the caller to try it again later.
 */
export const pacedMailer = (
  mailer: Mailer,
  {
    pacer,
    ratePerSecond,
    maxWaitMs,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  }: {
    pacer: Pacer;
    ratePerSecond: () => Promise<number>;
    maxWaitMs: () => number;
    sleep?: (ms: number) => Promise<void>;
  },
): Mailer => ({
  async send(email) {
    const slot = pacer.reserve(await ratePerSecond(), maxWaitMs());
    if ('refusedMs' in slot) throw new SendDeferredError({ kind: 'paced', waitMs: slot.refusedMs });
    if (slot.waitMs > 0) await sleep(slot.waitMs);
    try {
      return await mailer.send(email);
    } catch (error) {
      if (isSesThrottling(error)) throw new SendDeferredError({ kind: 'throttled' }, { cause: error });
      throw error;
    }
  },
});
