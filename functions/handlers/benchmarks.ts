import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { BenchmarkInput } from '../schemas/benchmark';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInAccess } from '../shared/identity';
import { jsonBody } from '../shared/request';
import {
  checkMayManageBenchmarks,
  listBenchmarks,
  putBenchmark,
  removeBenchmark,
} from '../use-cases/benchmarks';
import { benchmarksWiring } from '../wiring/benchmarks';

const deps = benchmarksWiring();

/**
 * Competitor and industry NPS figures, for marketing and admins: `GET /r/benchmarks` lists them,
 * `PUT /r/benchmarks/{benchmarkId}` sets one (201 when new, 200 when replaced or unchanged: safe to
 * repeat), `DELETE /r/benchmarks/{benchmarkId}` removes one (204; 404 if there is none).
 */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
  .use(httpErrors())
  .handler(async (event) => {
    // Only all-store roles may manage benchmarks, and they need no store list: none is read.
    const access = signedInAccess(event, []);
    checkMayManageBenchmarks(access);
    const id = event.pathParameters?.benchmarkId;
    const method = event.requestContext.http.method;
    if (id === undefined) return json(200, await listBenchmarks(deps, access));
    if (method === 'DELETE') {
      await removeBenchmark(deps, access, id);
      return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
    }
    const input = jsonBody(event, BenchmarkInput, {
      what: 'The benchmark',
      example: '{"name":"Industry median","value":16,"sampleSize":1200,"date":"2026-06-30"}',
    });
    const { benchmark, outcome } = await putBenchmark(deps, access, id, input);
    return json(outcome === 'created' ? 201 : 200, { ...benchmark, outcome });
  });
