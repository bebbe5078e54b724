import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ValidationError } from '../domain/errors';
import { CustomerSyncBatch } from '../schemas/customer-sync';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { callingClient } from '../shared/integration';
import { logger } from '../shared/powertools';
import { bodyText, parsedJson, validated } from '../shared/request';
import { syncCustomers } from '../use-cases/sync-customers';
import { customerSyncDeps } from '../wiring/customer-sync';

const deps = customerSyncDeps();

/** A batch of 500 customers with long attributes fits; Lambda takes 6 MB at most. */
const maxBatchBytes = 5 * 1024 * 1024;
const maxCustomerBytes = 64 * 1024;

const parseJson = (text: string, example: string) =>
  parsedJson(text, `Send the body as JSON, e.g. ${example}`);

const customerExample = '{"email":"ana@example.com","storeId":"S1","firstName":"Ana","locale":"fr"}';

/**
 * For integrations (scope `closeloop/customers.write`): `PUT /api/customers/{customerId}` creates or
 * updates one customer (201 created, 200 updated or unchanged; 400 with each field's error; 409 when
 * another customer holds the address); `POST /api/customers/batch` `{customers: [...]}` up to 500 at
 * once, 200 with one result per row and every refused row's errors (413 above 500).
 */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
  .use(httpErrors())
  .handler(async (event) => {
    const client = callingClient(event);
    const customerId = event.pathParameters?.customerId;
    if (customerId === undefined) {
      const { customers } = validated(
        CustomerSyncBatch,
        parseJson(bodyText(event, maxBatchBytes), `{"customers":[{"customerId":"C1",...}]}`),
        'The batch',
      );
      const result = await syncCustomers(deps, customers);
      logger.info('customers synced', { client, ...result.summary });
      return json(200, result);
    }
    const body = parseJson(bodyText(event, maxCustomerBytes), customerExample);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ValidationError(`Send the customer as a JSON object, e.g. ${customerExample}`);
    const given = (body as { customerId?: unknown }).customerId;
    if (given !== undefined && given !== customerId)
      throw new ValidationError(
        `The body names customer ${String(given)} and the path ${customerId}: leave customerId out of the body.`,
      );
    const { results, errors } = await syncCustomers(deps, [{ ...body, customerId }]);
    const outcome = results[0]?.outcome ?? 'rejected';
    logger.info('customer synced', { client, outcome });
    if (outcome === 'rejected') {
      const taken = errors.length > 0 && errors.every((error) => error.code === 'email_taken');
      return json(taken ? 409 : 400, {
        error: taken ? 'email_taken' : 'validation_failed',
        message: taken ? (errors[0]?.message ?? '') : `Customer ${customerId} is not valid.`,
        errors,
      });
    }
    return json(outcome === 'created' ? 201 : 200, { customerId, outcome });
  });
