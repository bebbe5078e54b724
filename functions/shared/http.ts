import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, ValidationError } from '../domain/errors';
import { logger } from './powertools';

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
 * Maps errors to responses in one place: a domain error becomes its own status with its message;
 * anything else is logged and becomes a bare 500 that reveals nothing of the internals.
 */
export const httpErrors = (): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult> => ({
  onError: async (request) => {
    const { error } = request;
    if (error instanceof DomainError) {
      request.response = json(error.status, {
        error: error.code,
        message: error.message,
        ...(error instanceof ValidationError && error.issues.length > 0 && { issues: error.issues }),
      });
      return;
    }
    logger.error('unhandled error', { error: error as Error });
    request.response = json(500, { error: 'internal_error', message: 'Something went wrong on our side.' });
  },
});
