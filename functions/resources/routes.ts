import type { IntegrationScope } from './integration-scopes';

/**
 * The HTTP API, declared once: API Gateway routes in the stack and the local server's router are
 * both built from this list. `handler` names a file in `functions/handlers/`.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Request limits of a route: steady requests per second and the burst above it (a token bucket). */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Routes that share their limits: what customers open from e-mails, the unsubscribe links, staff pages. */
export type ThrottleGroup = 'survey' | 'unsubscribe' | 'staff' | 'integration';

/**
 * Each route's limits by group (API Gateway throttles every route on its own: two routes of a group
 * have a bucket each). In AWS they are the stage's route settings, which CDK context `apiThrottles`
 * may change (see `docs/operations.md`); the local API applies them with `npm start -- --throttle`.
 * - survey: a mail scanner fetches all eleven links of a mail within seconds, so a sending burst
 *   brings about ten times its rate in page views: high limits;
 * - unsubscribe: one click per customer who leaves;
 * - staff: a few hundred managers and marketers, each page a handful of calls;
 * - integration: machine-to-machine syncs (a CRM), up to 500 customers per batch call.
 * Above them a route answers 429 `{"message":"Too Many Requests"}` before any function runs.
 */
export const routeThrottles = {
  survey: { rateLimit: 200, burstLimit: 400 },
  unsubscribe: { rateLimit: 50, burstLimit: 100 },
  staff: { rateLimit: 25, burstLimit: 50 },
  integration: { rateLimit: 10, burstLimit: 20 },
} as const satisfies Record<ThrottleGroup, RouteThrottle>;

/** The limits of every route without a group (`/health`): the stage's default route settings. */
export const stageThrottle = { rateLimit: 200, burstLimit: 400 } as const satisfies RouteThrottle;

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  readonly handler: string;
  /**
   * `manager`: only with a signed-in user's token (a Cognito JWT authorizer in AWS; locally a signed
   * development token verified by the local API server the same way): store and regional managers,
   * marketing and admins (Cognito groups). What each may see is decided by the function.
   * `integration`: only with an OAuth client credentials access token of an integration client, holding
   * one of `scopes` (a JWT authorizer with authorization scopes in AWS, the local API server the same
   * way). Absent: public.
   */
  readonly auth?: 'manager' | 'integration';
  /** With `auth: 'integration'`: the token must hold at least one of these (as API Gateway checks). */
  readonly scopes?: readonly IntegrationScope[];
  /** Whose limits the route gets (`routeThrottles`); absent: the stage's default. */
  readonly throttle?: ThrottleGroup;
}

/** The survey e-mail's hidden link, which people never see and link scanners follow. */
export const hiddenLinkPath = '/s/{token}/about';

export const routes = [
  { method: 'GET', path: '/health', handler: 'health' },
  { method: 'GET', path: '/s/{token}', handler: 'survey', throttle: 'survey' },
  { method: 'POST', path: '/s/{token}', handler: 'survey', throttle: 'survey' },
  { method: 'GET', path: hiddenLinkPath, handler: 'survey', throttle: 'survey' },
  { method: 'GET', path: '/u/{token}', handler: 'unsubscribe', throttle: 'unsubscribe' },
  { method: 'POST', path: '/u/{token}', handler: 'unsubscribe', throttle: 'unsubscribe' },
  { method: 'GET', path: '/m', handler: 'manager-page', throttle: 'staff' },
  { method: 'GET', path: '/m/cases', handler: 'manager-cases', auth: 'manager', throttle: 'staff' },
  { method: 'GET', path: '/m/cases/{caseId}', handler: 'manager-cases', auth: 'manager', throttle: 'staff' },
  {
    method: 'POST',
    path: '/m/cases/{caseId}/calls',
    handler: 'manager-cases',
    auth: 'manager',
    throttle: 'staff',
  },
  {
    method: 'POST',
    path: '/m/cases/{caseId}/close',
    handler: 'manager-cases',
    auth: 'manager',
    throttle: 'staff',
  },
  {
    method: 'POST',
    path: '/m/cases/{caseId}/notes',
    handler: 'manager-cases',
    auth: 'manager',
    throttle: 'staff',
  },
  { method: 'GET', path: '/d', handler: 'dashboard-page', throttle: 'staff' },
  { method: 'GET', path: '/r/report', handler: 'reports', auth: 'manager', throttle: 'staff' },
  { method: 'GET', path: '/r/dashboard', handler: 'reports', auth: 'manager', throttle: 'staff' },
  { method: 'POST', path: '/r/exports', handler: 'exports', auth: 'manager', throttle: 'staff' },
  { method: 'GET', path: '/r/exports/{jobId}', handler: 'exports', auth: 'manager', throttle: 'staff' },
  { method: 'GET', path: '/r/benchmarks', handler: 'benchmarks', auth: 'manager', throttle: 'staff' },
  {
    method: 'PUT',
    path: '/r/benchmarks/{benchmarkId}',
    handler: 'benchmarks',
    auth: 'manager',
    throttle: 'staff',
  },
  {
    method: 'DELETE',
    path: '/r/benchmarks/{benchmarkId}',
    handler: 'benchmarks',
    auth: 'manager',
    throttle: 'staff',
  },
  {
    method: 'PUT',
    path: '/api/customers/{customerId}',
    handler: 'customer-sync',
    auth: 'integration',
    scopes: ['customers.write'],
    throttle: 'integration',
  },
  {
    method: 'POST',
    path: '/api/customers/batch',
    handler: 'customer-sync',
    auth: 'integration',
    scopes: ['customers.write'],
    throttle: 'integration',
  },
  {
    method: 'DELETE',
    path: '/api/customers/{customerId}',
    handler: 'customer-erasure',
    auth: 'integration',
    scopes: ['customers.erase'],
    throttle: 'integration',
  },
  {
    method: 'POST',
    path: '/api/customers/erasures',
    handler: 'customer-erasure',
    auth: 'integration',
    scopes: ['customers.erase'],
    throttle: 'integration',
  },
  { method: 'POST', path: '/s/{token}/consent', handler: 'testimonial-consent', throttle: 'survey' },
  { method: 'GET', path: '/q/{token}', handler: 'testimonial-consent', throttle: 'unsubscribe' },
  { method: 'POST', path: '/q/{token}', handler: 'testimonial-consent', throttle: 'unsubscribe' },
] as const satisfies readonly RouteDefinition[];

/** API Gateway's key of a route (`GET /s/{token}`). */
export const routeKeyOf = (route: RouteDefinition): string => `${route.method} ${route.path}`;

/** The limits of every route, by route key, with `limits` in place of the defaults. */
export const routeThrottleSettings = (
  limits: Readonly<Record<ThrottleGroup, RouteThrottle>> = routeThrottles,
): ReadonlyMap<string, RouteThrottle> =>
  new Map(
    (routes as readonly RouteDefinition[]).map((route) => [
      routeKeyOf(route),
      route.throttle === undefined ? stageThrottle : limits[route.throttle],
    ]),
  );
