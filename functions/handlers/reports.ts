import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { createAggregateRepository } from '../adapters/aggregate-repository';
import { createAnswerRepository } from '../adapters/answer-repository';
import { createCaseRepository } from '../adapters/case-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { accessOf } from '../domain/access';
import { ValidationError } from '../domain/errors';
import { defaultReportRange } from '../domain/report';
import { aggregatesTable, casesTable, storesTable, surveysTable } from '../resources/tables';
import { describeIssues } from '../schemas/common';
import { ReportQuery } from '../schemas/report';
import { tableNamesFrom } from '../shared/config';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInUser } from '../shared/identity';
import { buildDashboard, buildReport } from '../use-cases/report';

const tables = tableNamesFrom({
  aggregates: aggregatesTable,
  stores: storesTable,
  cases: casesTable,
  surveys: surveysTable,
});
const db = createDocumentClient();
const deps = {
  aggregates: createAggregateRepository(db, tables.aggregates),
  stores: createStoreRepository(db, tables.stores),
  cases: createCaseRepository(db, tables.cases),
  answers: createAnswerRepository(db, { surveys: tables.surveys }),
};

/** The last twelve months to today (UTC), by month, unless the query says otherwise. */
const parseQuery = (event: APIGatewayProxyEventV2WithJWTAuthorizer, now = new Date()) => {
  const parsed = ReportQuery.safeParse({ ...defaultReportRange(now), ...event.queryStringParameters });
  if (!parsed.success) {
    throw new ValidationError('The report query is not valid.', describeIssues(parsed.error.issues));
  }
  return parsed.data;
};

/**
 * `GET /r/report`: NPS, counts, response rate and margin of error, overall, per period and per store;
 * `GET /r/dashboard`: the same with follow-ups and the latest comments. Query: `from`, `to`
 * (YYYY-MM-DD), `by` (day, week, month), `store`. Marketing and admins see every store, a manager
 * their own.
 */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
  .use(httpErrors())
  .handler(async (event) => {
    const user = signedInUser(event);
    const query = parseQuery(event);
    // One read of the stores per request: for the access check and for the report itself.
    const stores = await deps.stores.listAll();
    const access = accessOf(user.email, user.groups, stores);
    const requestDeps = { ...deps, stores: { listAll: async () => stores } };
    if (event.rawPath.endsWith('/dashboard'))
      return json(200, await buildDashboard(requestDeps, access, query));
    return json(200, await buildReport(requestDeps, access, query));
  });
