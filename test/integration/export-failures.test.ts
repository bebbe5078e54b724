import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportRepository } from '../../functions/adapters/export-repository';
import { exportFailureReasons } from '../../functions/domain/exports';
import type { ExportJob } from '../../functions/schemas/export';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { runCli } from '../support/local-stack';
import { signInAs } from '../support/staff';

/** The export worker writes to a bucket that does not exist: S3 refuses every upload, for good. */
const missingBucket = 'closeloop-test-no-such-exports-bucket';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let stateFile: string;
const marketing = 'marketing@brand.example.com';

const call = async (path: string, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      authorization: (await signInAs(marketing, { groups: ['marketing'] })).bearer,
    },
  });
const cli = (args: readonly string[]) => runCli(args, { stateFile });

beforeAll(async () => {
  stack = await startIsolatedStack('export-failures', { EXPORTS_BUCKET: missingBucket });
  api = await startApiServer({ port: 0 });
  stateFile = stack.writeCliState();
});

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('an export job that fails', () => {
  it('shows failed with a short reason, through the API and the CLI, when the worker fails for good', async () => {
    const started = await call('/r/exports', {
      method: 'POST',
      body: JSON.stringify({ segment: 'promoters', format: 'csv' }),
    });
    expect(started.status).toBe(202);
    const { jobId, statusUrl } = (await started.json()) as { jobId: string; statusUrl: string };
    expect(jobId).toMatch(/^exp_[A-Za-z0-9_-]{16}$/);

    await stack.consumers.exports.drain(120_000);

    const response = await call(statusUrl);
    expect(response.status).toBe(200);
    const status = (await response.json()) as Record<string, unknown>;
    expect(status).toMatchObject({ jobId, status: 'failed', failure: exportFailureReasons.rejected });
    expect(status).not.toHaveProperty('downloadUrl');
    const body = JSON.stringify(status);
    expect(body).not.toContain(missingBucket);
    expect(body).not.toMatch(/NoSuchBucket|Exception|\.ts:\d+/);

    const shown = await cli(['export-status', jobId]);
    expect(shown).toMatchObject({ code: 3, stdout: expect.stringContaining(`${jobId}: failed (The export`) });
    const json = await cli(['export-status', jobId, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'failed',
      failure: exportFailureReasons.rejected,
    });
  });

  it('reports a job stuck running past the deadline as failed', async () => {
    const jobs = createExportRepository(stack.db, stack.env.EXPORTS_TABLE ?? '');
    const marketingSub = (await signInAs(marketing, { groups: ['marketing'] })).sub;
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
    const stuck = (jobId: string, updatedAt: string): ExportJob => ({
      jobId,
      status: 'running',
      request: { segment: 'detractors', format: 'csv', bom: false, everyResponse: false },
      requestedBy: marketing,
      requestedBySub: marketingSub,
      createdAt: hoursAgo(3),
      updatedAt,
      expiration: Math.floor(Date.now() / 1000) + 86_400,
    });
    await jobs.create(stuck('stuck-job-0001', hoursAgo(2)));
    await jobs.create(stuck('fresh-job-0001', hoursAgo(0.5)));

    expect(await (await call('/r/exports/stuck-job-0001')).json()).toMatchObject({
      status: 'failed',
      failure: exportFailureReasons.stalled,
    });
    expect(await (await call('/r/exports/fresh-job-0001')).json()).toMatchObject({ status: 'running' });
    const shown = await cli(['export-status', 'stuck-job-0001']);
    expect([shown.code, shown.stdout]).toEqual([3, expect.stringContaining('stuck-job-0001: failed')]);
    expect((await cli(['export-status', 'fresh-job-0001'])).code).toBe(0);
    expect((await cli(['export-status', 'no-such-job'])).code).toBe(2);
  });
});
