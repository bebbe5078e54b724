import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { CaseUpdateInput } from '../schemas/case';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInUser } from '../shared/identity';
import { publishingMetrics } from '../shared/metrics';
import { jsonBody } from '../shared/request';
import { getManagedCase, listManagedCases, updateManagedCase } from '../use-cases/manage-cases';
import { managerCasesWiring } from '../wiring/manager-cases';

const deps = managerCasesWiring();

/**
 * The store managers' API: `GET /m/cases` lists their stores' cases, `GET /m/cases/{caseId}` shows
 * one, `POST /m/cases/{caseId}` records a status and a note. Another store's case is a 403.
 */
export const handler = publishingMetrics(
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
    .use(httpErrors())
    .handler(async (event) => {
      const manager = signedInUser(event);
      const caseId = event.pathParameters?.caseId;
      if (caseId === undefined) return json(200, { cases: await listManagedCases(deps, manager) });
      if (event.requestContext.http.method === 'POST') {
        const update = jsonBody(event, CaseUpdateInput, {
          what: 'The update',
          example: '{"status":"contacted","note":"Called, apologised."}',
        });
        return json(200, await updateManagedCase(deps, manager, caseId, update));
      }
      return json(200, await getManagedCase(deps, manager, caseId));
    }),
);
