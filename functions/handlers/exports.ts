import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ExportRequest } from '../schemas/export';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInAccess } from '../shared/identity';
import { jsonBody } from '../shared/request';
import { exportStatus, startExport } from '../use-cases/export-jobs';
import { exportApiDeps } from '../wiring/exports';

const deps = exportApiDeps();

/**
 * `POST /r/exports` starts a segment export (202 with the job; marketing and admins only);
 * `GET /r/exports/{jobId}` tells how it goes and, once ready, gives a 15-minute download link.
 */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
  .use(httpErrors())
  .handler(async (event) => {
    // Only all-store roles may export, and they need no store list: none is read.
    const access = signedInAccess(event, []);
    const jobId = event.pathParameters?.jobId;
    if (jobId === undefined) {
      const request = jsonBody(event, ExportRequest, {
        what: 'The export request',
        example: '{"segment":"promoters","format":"csv"}',
      });
      const job = await startExport(deps, access, request);
      return json(202, { ...job, statusUrl: `/r/exports/${job.jobId}` });
    }
    return json(200, await exportStatus(deps, access, jobId));
  });
