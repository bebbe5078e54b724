import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isPassingFailure } from '../adapters/aws-errors';
import { DomainError, ValidationError } from '../domain/errors';
import { addLambdaContext, logger } from './powertools';

export type HttpResult = APIGatewayProxyStructuredResultV2;

const securityHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...securityHeaders, ...headers },
  body: JSON.stringify(body),
});

/**
 * Pages allow their own inline styles and forms posting back to the API; a page with a script
 * allows that one script (by nonce) and requests back to the API and to `connectSources` (the staff
 * pages' identity provider), nothing else.
 */
const pageSecurityHeaders = (scriptNonce?: string, connectSources: readonly string[] = []) => ({
  ...securityHeaders,
  'content-security-policy': [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    ...(scriptNonce
      ? [`script-src 'nonce-${scriptNonce}'`, ["connect-src 'self'", ...connectSources].join(' ')]
      : []),
  ].join('; '),
  'x-frame-options': 'DENY',
});

export const html = (
  statusCode: number,
  body: string,
  options: { scriptNonce?: string; connectSources?: readonly string[] } = {},
): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    ...pageSecurityHeaders(options.scriptNonce, options.connectSources),
  },
  body,
});

/** Turns an error into a response for the client; `status` and `message` are safe to show. */
export type ErrorRenderer = (
  status: number,
  code: string,
  message: string,
  issues?: readonly string[],
  event?: APIGatewayProxyEventV2,
) => HttpResult;

const jsonError: ErrorRenderer = (status, code, message, issues) =>
  json(status, { error: code, message, ...(issues && issues.length > 0 && { issues }) });

/** Seconds a client is asked to wait before trying again after a passing failure. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Maps errors to responses in one place: a domain error becomes its own status with its message; a
 * passing failure (throttling, conflict, outage) a 503 with `Retry-After`; anything else is logged
 * and becomes a bare 500 that reveals nothing of the internals. Rendered as JSON unless the route
 * passes a page renderer.
 */
export const httpErrors = (
  render: ErrorRenderer = jsonError,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> => ({
  before: async (request) => {
    addLambdaContext(request.context);
  },
  onError: async (request) => {
    const { error } = request;
    if (error instanceof DomainError) {
      request.response = render(
        error.status,
        error.code,
        error.message,
        error instanceof ValidationError ? error.issues : undefined,
        request.event,
      );
      return;
    }
    if (isPassingFailure(error)) {
      logger.warn('passing failure, client asked to retry', { error: error as Error });
      const response = render(
        503,
        'unavailable',
        'We are busy for a moment: please try again.',
        undefined,
        request.event,
      );
      request.response = {
        ...response,
        headers: { ...response.headers, 'retry-after': String(RETRY_AFTER_SECONDS) },
      };
      return;
    }
    logger.error('unhandled error', { error: error as Error });
    request.response = render(
      500,
      'internal_error',
      'Something went wrong on our side.',
      undefined,
      request.event,
    );
  },
});
