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
}

export const routes = [
  { method: 'GET', path: '/health', handler: 'health' },
  { method: 'GET', path: '/s/{token}', handler: 'survey' },
  { method: 'POST', path: '/s/{token}', handler: 'survey' },
  { method: 'GET', path: '/u/{token}', handler: 'unsubscribe' },
  { method: 'POST', path: '/u/{token}', handler: 'unsubscribe' },
] as const satisfies readonly RouteDefinition[];
