import type { RouteThrottle } from '../functions/resources/routes';

/**
 * A token bucket as API Gateway throttles a route: it holds up to `burstLimit` requests, refills at
 * `rateLimit` per second, and each request takes one; with none left the request is refused.
 */
export const createTokenBucket = (
  { rateLimit, burstLimit }: RouteThrottle,
  now = () => performance.now(),
) => {
  let tokens = burstLimit;
  let updated = now();
  return {
    /** Takes a token if one is left; false means answer 429. */
    take(): boolean {
      const at = now();
      tokens = Math.min(burstLimit, tokens + ((at - updated) / 1000) * rateLimit);
      updated = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
};

/** One bucket per route key, with the limits of `limits` (route key to limits, e.g. `routeThrottleSettings()`). */
export const createRouteThrottle = (
  limits: ReadonlyMap<string, RouteThrottle>,
  now?: () => number,
): ((routeKey: string) => boolean) => {
  const buckets = new Map(
    [...limits].map(([routeKey, limit]) => [routeKey, createTokenBucket(limit, now)] as const),
  );
  return (routeKey) => buckets.get(routeKey)?.take() ?? true;
};
