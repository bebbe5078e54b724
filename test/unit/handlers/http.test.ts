import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../functions/domain/errors';
import { handler as health } from '../../../functions/handlers/health';
import { type HttpResult, httpErrors } from '../../../functions/shared/http';

const event = {
  rawPath: '/',
  headers: {},
  requestContext: { http: { method: 'GET' } },
} as unknown as APIGatewayProxyEventV2;
const context = {} as Context;

const failingWith = (error: Error) =>
  middy<APIGatewayProxyEventV2, HttpResult>()
    .use(httpErrors())
    .handler(async () => {
      throw error;
    });

describe('health handler', () => {
  it('answers 200 with a JSON status', async () => {
    const response = (await health(event, context)) as HttpResult;
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ status: 'ok', service: 'closeloop' });
  });
});

describe('httpErrors', () => {
  it('maps a domain error to its status, code and message', async () => {
    const response = await failingWith(new NotFoundError('survey not found'))(event, context);
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body ?? '')).toEqual({ error: 'not_found', message: 'survey not found' });
  });

  it('lists the issues of a validation error', async () => {
    const response = await failingWith(new ValidationError('bad body', ['score: must be 0-10']))(
      event,
      context,
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ issues: ['score: must be 0-10'] });
  });

  it('hides the message and stack of an unexpected error behind a 500', async () => {
    const response = await failingWith(new Error('connect ECONNREFUSED 10.0.0.1:5432'))(event, context);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: 'internal_error',
      message: 'Something went wrong on our side.',
    });
  });

  it('asks the client to retry a failure that passes (throttling, service fault), without details', async () => {
    const throttled = Object.assign(new Error('Throughput exceeds the current capacity of your table'), {
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
    });
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), {
      code: 'ECONNREFUSED',
    });
    for (const error of [throttled, unreachable]) {
      const response = await failingWith(error)(event, context);
      expect(response.statusCode).toBe(503);
      expect(response.headers?.['retry-after']).toBe('1');
      expect(response.body).not.toMatch(/capacity|ECONNREFUSED/);
      expect(JSON.parse(response.body ?? '')).toMatchObject({ error: 'unavailable' });
    }
  });
});
