import { describe, expect, it } from 'vitest';
import {
  routeKeyOf,
  routes,
  routeThrottleSettings,
  routeThrottles,
} from '../../../functions/resources/routes';
import { createRouteThrottle, createTokenBucket } from '../../../local/route-throttle';

const clock = () => {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
};

describe('createTokenBucket', () => {
  it('lets a burst through, then refuses until the rate has refilled a token', () => {
    const time = clock();
    const bucket = createTokenBucket({ rateLimit: 2, burstLimit: 3 }, time.now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    time.advance(499);
    expect(bucket.take()).toBe(false);
    time.advance(1);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('never holds more than its burst, however long it idles', () => {
    const time = clock();
    const bucket = createTokenBucket({ rateLimit: 100, burstLimit: 2 }, time.now);
    time.advance(60_000);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });
});

describe('createRouteThrottle', () => {
  it('gives each route its own bucket, with its group limits', () => {
    const time = clock();
    const allowed = createRouteThrottle(
      routeThrottleSettings({ ...routeThrottles, staff: { rateLimit: 1, burstLimit: 1 } }),
      time.now,
    );
    expect(allowed('GET /r/report')).toBe(true);
    expect(allowed('GET /r/report')).toBe(false);
    expect(allowed('GET /r/dashboard')).toBe(true);
    expect(allowed('GET /s/{token}')).toBe(true);
  });

  it('declares limits for every route, and a group for every survey, unsubscribe and staff route', () => {
    const settings = routeThrottleSettings();
    for (const route of routes) {
      expect(settings.get(routeKeyOf(route)), routeKeyOf(route)).toBeDefined();
      if (route.path !== '/health') expect(route, routeKeyOf(route)).toHaveProperty('throttle');
    }
    expect(settings.get('GET /s/{token}')).toEqual(routeThrottles.survey);
    expect(settings.get('POST /u/{token}')).toEqual(routeThrottles.unsubscribe);
    expect(settings.get('POST /r/exports')).toEqual(routeThrottles.staff);
  });
});
