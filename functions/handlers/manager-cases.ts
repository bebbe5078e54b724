import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { createCaseRepository } from '../adapters/case-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { ValidationError } from '../domain/errors';
import { casesTable, storesTable } from '../resources/tables';
import { CaseUpdateInput } from '../schemas/case';
import { describeIssues } from '../schemas/common';
import { tableNamesFrom } from '../shared/config';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInUser } from '../shared/identity';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { getManagedCase, listManagedCases, updateManagedCase } from '../use-cases/manage-cases';

const tables = tableNamesFrom({ cases: casesTable, stores: storesTable });
const db = createDocumentClient();
const deps = {
  cases: createCaseRepository(db, tables.cases),
  stores: createStoreRepository(db, tables.stores),
  onContacted: (withinWindow: boolean) => {
    countMetric('CasesContacted');
    if (withinWindow) countMetric('CasesContactedWithin24h');
  },
};

const parseUpdate = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    throw new ValidationError(
      'Send the update as JSON, e.g. {"status":"contacted","note":"Called, apologised."}',
    );
  }
  const parsed = CaseUpdateInput.safeParse(body);
  if (!parsed.success)
    throw new ValidationError('The update is not valid.', describeIssues(parsed.error.issues));
  return parsed.data;
};

/**
 * The store managers' API: `GET /m/cases` lists their stores' cases, `GET /m/cases/{caseId}` shows
 * one, `POST /m/cases/{caseId}` records a status and a note. Another store's case is a 403.
 */
export const handler = publishingMetrics(
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
    .use(httpErrors())
    .handler(async (event) => {
      const manager = signedInUser(event).email;
      const caseId = event.pathParameters?.caseId;
      if (caseId === undefined) return json(200, { cases: await listManagedCases(deps, manager) });
      if (event.requestContext.http.method === 'POST') {
        return json(200, await updateManagedCase(deps, manager, caseId, parseUpdate(event)));
      }
      return json(200, await getManagedCase(deps, manager, caseId));
    }),
);
