import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, httpErrors, json } from '../shared/http';

/** `GET /health`: liveness for load balancers, uptime checks and the local runtime. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(httpErrors())
  .handler(async () => json(200, { status: 'ok', service: 'closeloop' }));
