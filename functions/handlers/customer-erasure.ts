import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { identifier } from '../schemas/common';
import { CustomerErasureBatch } from '../schemas/customer-sync';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { callingClient } from '../shared/integration';
import { logger } from '../shared/powertools';
import { jsonBody, validated } from '../shared/request';
import { eraseCustomers } from '../use-cases/erase-customers';
import { customerErasureDeps } from '../wiring/customer-erasure';

const deps = customerErasureDeps();

/**
 * For integrations (scope `closeloop/customers.erase`): `DELETE /api/customers/{customerId}` erases
 * one customer's personal data (200 `erased`, also when there was nothing left; 409 while an answer
 * is still being counted: call again in a few minutes); `POST /api/customers/erasures`
 * `{customerIds: [...]}` up to 500 at once, 200 with each one `erased` or `pending`.
 */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
  .use(httpErrors())
  .handler(async (event) => {
    const client = callingClient(event);
    const now = new Date();
    const pathId = event.pathParameters?.customerId;
    if (pathId === undefined) {
      const { customerIds } = jsonBody(event, CustomerErasureBatch, {
        what: 'The erasure request',
        example: '{"customerIds":["C1","C2"]}',
      });
      const results = await eraseCustomers(deps, customerIds, { now });
      const erased = results.filter((result) => result.status === 'erased').length;
      logger.info('customers erased', { client, erased, pending: results.length - erased });
      return json(200, { summary: { erased, pending: results.length - erased }, results });
    }
    const customerId = validated(identifier(), pathId, 'The customer id');
    const [result] = await eraseCustomers(deps, [customerId], { now });
    logger.info('customer erased', { client, status: result?.status });
    if (result?.status !== 'erased')
      return json(409, { error: 'erasure_pending', message: result?.message ?? '', customerId });
    return json(200, result);
  });
