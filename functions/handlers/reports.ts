import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { defaultReportRange } from '../domain/report';
import { ReportQuery } from '../schemas/report';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInUser } from '../shared/identity';
import { validated } from '../shared/request';
import { reportFor } from '../use-cases/report';
import { reportsWiring } from '../wiring/reports';

const deps = reportsWiring();

/**
 * `GET /r/report`: NPS, counts, response rate and margin of error, overall, per period and per store;
 * `GET /r/dashboard`: the same with follow-ups and the latest comments. Query: `from`, `to`
 * (YYYY-MM-DD; the last twelve months to today by default), `by` (day, week, month), `store`.
 * Marketing and admins see every store, a manager their own.
 */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
  .use(httpErrors())
  .handler(async (event) => {
    const user = signedInUser(event);
    const query = validated(
      ReportQuery,
      { ...defaultReportRange(new Date()), ...event.queryStringParameters },
      'The report query',
    );
    const kind = event.rawPath.endsWith('/dashboard') ? 'dashboard' : 'report';
    return json(200, await reportFor(deps, user, query, kind));
  });
