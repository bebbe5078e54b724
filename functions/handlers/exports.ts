import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { accessOf } from '../domain/access';
import { ValidationError } from '../domain/errors';
import { describeIssues } from '../schemas/common';
import { ExportRequest } from '../schemas/export';
import { exportApiDeps } from '../shared/export-dependencies';
import { type HttpResult, httpErrors, json } from '../shared/http';
import { signedInUser } from '../shared/identity';
import { exportStatus, startExport } from '../use-cases/export-jobs';

const deps = exportApiDeps();

const parseRequest = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    throw new ValidationError('Send the export request as JSON, e.g. {"segment":"promoters","format":"csv"}');
  }
  const parsed = ExportRequest.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError('The export request is not valid.', describeIssues(parsed.error.issues));
  }
  return parsed.data;
};

/**
 * `POST /r/exports` starts a segment export (202 with the job; marketing and admins only);
 * `GET /r/exports/{jobId}` tells how it goes and, once ready, gives a 15-minute download link.
 */
export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, HttpResult>()
  .use(httpErrors())
  .handler(async (event) => {
    const user = signedInUser(event);
    // Only all-store roles may export, and they need no store list: none is read.
    const access = accessOf(user.email, user.groups, []);
    const jobId = event.pathParameters?.jobId;
    if (jobId === undefined) {
      const job = await startExport(deps, access, parseRequest(event));
      return json(202, { ...job, statusUrl: `/r/exports/${job.jobId}` });
    }
    return json(200, await exportStatus(deps, access, jobId));
  });
