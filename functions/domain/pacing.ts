import { retryDelaySeconds } from './retry';

/**
 * The sends per second one execution environment of a sender may make: the account's SES rate, less
 * the share kept for other mail (manager alerts), split evenly between the environments that may run
 * at once (the function's `maxConcurrency`).
 */
export const sendRatePerEnvironment = ({
  accountRate,
  reservedShare,
  maxConcurrency,
}: {
  accountRate: number;
  /** From 0 to 1: 0.2 keeps a fifth of the account's rate for other mail. */
  reservedShare: number;
  maxConcurrency: number;
}): number => (accountRate * (1 - Math.min(1, Math.max(0, reservedShare)))) / Math.max(1, maxConcurrency);

/**
 * Evenly spaced sending slots at a given rate: each send reserves the next free slot, `1 / rate`
 * seconds after the one before (a burst of one). A send that would wait longer than it may is not
 * given a slot, and is told how long the wait would have been.
 */
export const createPacer = (now: () => number = Date.now) => {
  let nextSlot = 0;
  return {
    /**
     * Reserves the next slot at `ratePerSecond` if it starts within `maxWaitMs`: returns how long to
     * wait for it, or `{ refusedMs }`, the wait that was too long (nothing reserved).
     */
    reserve(ratePerSecond: number, maxWaitMs: number): { waitMs: number } | { refusedMs: number } {
      const at = now();
      const slot = Math.max(at, nextSlot);
      const waitMs = slot - at;
      if (waitMs > Math.max(0, maxWaitMs)) return { refusedMs: waitMs };
      nextSlot = slot + 1_000 / Math.max(ratePerSecond, 0.001);
      return { waitMs };
    },
  };
};

export type Pacer = ReturnType<typeof createPacer>;

/** A task is put back after this many deferrals at most (over a day at the 15-minute cap): then it fails. */
export const MAX_DEFERRALS = 100;

/**
 * How long a send deferred for lack of sending rate waits before its next try: the wait its pacer
 * foresaw (at least a second) when it was paced out, or an exponential backoff from `baseSeconds` when
 * SES throttled it, growing with the deferrals it already had (capped at 15 minutes).
 */
export const deferralDelaySeconds = (
  reason: { kind: 'paced'; waitMs: number } | { kind: 'throttled' },
  deferrals: number,
  baseSeconds: number,
): number =>
  reason.kind === 'paced'
    ? Math.min(900, Math.max(1, Math.ceil(reason.waitMs / 1_000)))
    : retryDelaySeconds(deferrals + 1, Math.max(1, baseSeconds));
