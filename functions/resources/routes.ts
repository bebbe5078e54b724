/**
 * The HTTP API, declared once: API Gateway routes in the stack and the local server's router are
 * both built from this list. `handler` names a file in `functions/handlers/`.
 */
export type HttpMethod = 'GET' | 'POST';

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  readonly handler: string;
  /**
   * `manager`: only with a signed-in user's token (a Cognito JWT authorizer in AWS; locally a signed
   * development token verified by the local API server the same way): store and regional managers,
   * marketing and admins (Cognito groups). What each may see is decided by the function. Absent: public.
   */
  readonly auth?: 'manager';
}

/** The survey e-mail's hidden link, which people never see and link scanners follow. */
export const hiddenLinkPath = '/s/{token}/about';

export const routes = [
  { method: 'GET', path: '/health', handler: 'health' },
  { method: 'GET', path: '/s/{token}', handler: 'survey' },
  { method: 'POST', path: '/s/{token}', handler: 'survey' },
  { method: 'GET', path: hiddenLinkPath, handler: 'survey' },
  { method: 'GET', path: '/u/{token}', handler: 'unsubscribe' },
  { method: 'POST', path: '/u/{token}', handler: 'unsubscribe' },
  { method: 'GET', path: '/m', handler: 'manager-page' },
  { method: 'GET', path: '/m/cases', handler: 'manager-cases', auth: 'manager' },
  { method: 'GET', path: '/m/cases/{caseId}', handler: 'manager-cases', auth: 'manager' },
  { method: 'POST', path: '/m/cases/{caseId}', handler: 'manager-cases', auth: 'manager' },
  { method: 'GET', path: '/d', handler: 'dashboard-page' },
  { method: 'GET', path: '/r/report', handler: 'reports', auth: 'manager' },
  { method: 'GET', path: '/r/dashboard', handler: 'reports', auth: 'manager' },
  { method: 'POST', path: '/r/exports', handler: 'exports', auth: 'manager' },
  { method: 'GET', path: '/r/exports/{jobId}', handler: 'exports', auth: 'manager' },
] as const satisfies readonly RouteDefinition[];
