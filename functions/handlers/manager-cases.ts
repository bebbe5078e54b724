import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { CallInput, CaseListQuery, CloseInput, NoteInput } from '../schemas/case';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInAccess } from '../shared/identity';
import { publishingMetrics } from '../shared/metrics';
import { jsonBody, validated } from '../shared/request';
import { addNote, closeCase, getManagedCase, listManagedCases, recordCall } from '../use-cases/manage-cases';
import { managerCasesWiring } from '../wiring/manager-cases';

const deps = managerCasesWiring();

/**
 * The store managers' API: `GET /m/cases` lists a page of their stores' cases, `GET /m/cases/{caseId}`
 * shows one, `POST .../calls` records a call, `.../close` closes it with a resolution, `.../notes`
 * adds a note. Another store's case is a 403.
 */
export const handler = publishingMetrics(
  middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
    .use(httpErrors())
    .handler(async (event) => {
      // One read of the stores per request, for the access check and the use case both.
      const stores = await deps.stores.listAll();
      const access = signedInAccess(event, stores);
      const requestDeps = { ...deps, stores: { listAll: async () => stores } };
      const caseId = event.pathParameters?.caseId;
      if (caseId === undefined) {
        const query = validated(CaseListQuery, event.queryStringParameters ?? {}, 'The case list query');
        return json(200, await listManagedCases(requestDeps, access, query));
      }
      switch (event.routeKey) {
        case 'POST /m/cases/{caseId}/calls':
          return json(
            200,
            await recordCall(
              requestDeps,
              access,
              caseId,
              jsonBody(event, CallInput, {
                what: 'The call',
                example:
                  '{"outcome":"reached","note":"Apologised.","requestId":"0b7e6f4c-1d2a-4c8e-9f3b-5a6d7e8f9a0b"}',
              }),
            ),
          );
        case 'POST /m/cases/{caseId}/close':
          return json(
            200,
            await closeCase(
              requestDeps,
              access,
              caseId,
              jsonBody(event, CloseInput, {
                what: 'The closing',
                example:
                  '{"resolution":"refund","note":"Refunded the delivery.","requestId":"0b7e6f4c-1d2a-4c8e-9f3b-5a6d7e8f9a0b"}',
              }),
            ),
          );
        case 'POST /m/cases/{caseId}/notes':
          return json(
            200,
            await addNote(
              requestDeps,
              access,
              caseId,
              jsonBody(event, NoteInput, {
                what: 'The note',
                example:
                  '{"note":"She wrote back, all good.","requestId":"0b7e6f4c-1d2a-4c8e-9f3b-5a6d7e8f9a0b"}',
              }),
            ),
          );
        default:
          return json(200, await getManagedCase(requestDeps, access, caseId));
      }
    }),
);
