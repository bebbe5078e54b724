/** SQS's longest visibility timeout is 12 hours; we never wait longer than 15 minutes between tries. */
const MAX_RETRY_DELAY_SECONDS = 900;

/**
 * How long a failed task waits before its next try: `base` seconds after the first failure, doubling
 * with each further one (exponential backoff), capped at 15 minutes.
 */
export const retryDelaySeconds = (receiveCount: number, baseSeconds: number): number =>
  Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, receiveCount - 1));
