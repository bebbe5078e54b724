import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Access } from '../../../functions/domain/access';
import { ForbiddenError, NotFoundError } from '../../../functions/domain/errors';
import { ExportRejectedError, exportFailureReasons } from '../../../functions/domain/exports';
import { segmentShardOf } from '../../../functions/domain/segments';
import type { StoredAnswer } from '../../../functions/schemas/answer';
import type { CustomerRecord } from '../../../functions/schemas/customer';
import type { ExportRequest } from '../../../functions/schemas/export';
import {
  type ExportJobDeps,
  exportStatus,
  runExportJob,
  startExport,
} from '../../../functions/use-cases/export-jobs';
import { aCustomer } from '../../support/in-memory-customers';
import { createTaskQueue, fixedClock } from '../../support/in-memory-effects';
import { createExportFakes } from '../../support/in-memory-exports';

const mia: Access = { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' };
const max: Access = { kind: 'all-stores', user: 'max@example.com', sub: 'sub-max', role: 'marketing' };
const admin: Access = { kind: 'all-stores', user: 'root@example.com', sub: 'sub-root', role: 'admin' };
const manager: Access = {
  kind: 'stores',
  user: 'manager@example.com',
  sub: 'sub-manager',
  storeIds: new Set(['S1']),
};
const detractors: ExportRequest = { segment: 'detractors', format: 'csv', bom: false, everyResponse: false };

const answered = (customerId: string, score: number, at: string, comment?: string): CustomerRecord =>
  aCustomer({
    customerId,
    email: `${customerId.toLowerCase()}@example.com`,
    latestScore: score,
    latestScoreAt: at,
    ...(comment !== undefined && { latestComment: comment }),
    segmentShard: segmentShardOf(customerId, score),
  });

let fakes: ReturnType<typeof createExportFakes>;
let queue: ReturnType<typeof createTaskQueue<{ jobId: string }>>;
let clock: ReturnType<typeof fixedClock>;
let customers: CustomerRecord[];
let answers: {
  surveyId: string;
  customerId: string;
  storeId: string;
  answer: StoredAnswer;
  firstAnsweredAt: string;
}[];
let deps: ExportJobDeps;
let jobs: number;

beforeEach(() => {
  fakes = createExportFakes();
  queue = createTaskQueue();
  clock = fixedClock('2026-11-03T08:00:00.000Z');
  customers = [
    answered('C1', 2, '2026-11-02T10:00:00.000Z', '=HYPERLINK("http://evil.example")'),
    answered('C2', 10, '2026-11-02T11:00:00.000Z'),
    answered('C3', 6, '2026-10-02T11:00:00.000Z'),
  ];
  answers = [];
  jobs = 0;
  deps = {
    jobs: fakes.jobRepository,
    queue: queue.queue,
    files: fakes.fileStore,
    customers: {
      querySegment: async (shard, range) => ({
        customers: customers.filter(
          (customer) =>
            customer.segmentShard === shard &&
            (customer.latestScoreAt ?? '') >= (range.from ?? '0000') &&
            (customer.latestScoreAt ?? '') <= (range.to ?? '9999'),
        ),
        nextKey: undefined,
      }),
      getMany: async (ids) =>
        new Map(customers.filter((one) => ids.includes(one.customerId)).map((one) => [one.customerId, one])),
    },
    surveys: { scanAnswered: async () => ({ surveys: answers, nextKey: undefined }) },
    clock: clock.clock,
    newJobId: () => `job-${String(++jobs).padStart(4, '0')}`,
    stallSeconds: 6300,
  };
});

describe('startExport', () => {
  it('records a job for marketing, queued, kept for a week, and queues it for the exporter', async () => {
    const job = await startExport(deps, mia, detractors);

    expect(job).toEqual({
      jobId: 'job-0001',
      status: 'queued',
      request: detractors,
      requestedBy: 'mia@example.com',
      requestedBySub: 'sub-mia',
      createdAt: '2026-11-03T08:00:00.000Z',
      updatedAt: '2026-11-03T08:00:00.000Z',
      expiration: Date.parse('2026-11-10T08:00:00.000Z') / 1000,
    });
    expect([...fakes.jobs.values()]).toEqual([job]);
    expect(queue.sent).toEqual([{ jobId: 'job-0001' }]);
  });

  it('refuses a store manager, recording and queueing nothing', async () => {
    await expect(startExport(deps, manager, detractors)).rejects.toBeInstanceOf(ForbiddenError);

    expect(fakes.jobs.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });
});

describe('exportStatus', () => {
  beforeEach(async () => {
    await startExport(deps, mia, detractors);
  });

  it('shows whoever started the job its state, with no link before it is ready', async () => {
    const status = await exportStatus(deps, mia, 'job-0001');

    expect(status).toMatchObject({ jobId: 'job-0001', status: 'queued' });
    expect(status).not.toHaveProperty('downloadUrl');
    expect(fakes.links).toEqual([]);
  });

  it('hands out a 15-minute download link once the job is ready', async () => {
    await runExportJob(deps, 'job-0001');

    const status = await exportStatus(deps, mia, 'job-0001');

    const key = 'exports/2026-11-03/job-0001-detractors.csv';
    expect(status).toMatchObject({
      status: 'ready',
      key,
      rows: 2,
      downloadUrl: `https://exports.example.test/${key}?expires=900`,
      downloadExpiresInSeconds: 900,
    });
    expect(fakes.links).toEqual([{ key, expiresInSeconds: 900 }]);
  });

  it('refuses another marketing user, but shows the job to an admin', async () => {
    await expect(exportStatus(deps, max, 'job-0001')).rejects.toThrow(
      new ForbiddenError('This export was started by someone else.'),
    );
    // Owned by the account, not the address: another account showing Mia's e-mail gets nothing.
    await expect(exportStatus(deps, { ...max, user: 'mia@example.com' }, 'job-0001')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await exportStatus(deps, admin, 'job-0001')).requestedBy).toBe('mia@example.com');
  });

  it('refuses a store manager before looking the job up', async () => {
    await expect(exportStatus(deps, manager, 'job-0001')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(exportStatus(deps, manager, 'job-9999')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('says a job it does not know, or no longer keeps, is not found', async () => {
    await expect(exportStatus(deps, mia, 'job-9999')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('runExportJob', () => {
  it('writes the segment’s customers into the file, formulas neutralised, and marks the job ready', async () => {
    await startExport(deps, mia, detractors);

    const result = await runExportJob(deps, 'job-0001');

    const key = 'exports/2026-11-03/job-0001-detractors.csv';
    expect(result).toEqual({ outcome: 'exported', rows: 2, key });
    const records = parse(fakes.files.get(key)?.body ?? '', { columns: true }) as Record<string, string>[];
    expect(records.map((record) => [record.customerId, record.score, record.comment])).toEqual(
      expect.arrayContaining([
        ['C1', '2', `'=HYPERLINK("http://evil.example")`],
        ['C3', '6', ''],
      ]),
    );
    expect(records).toHaveLength(2);
    expect(fakes.jobs.get('job-0001')).toMatchObject({ status: 'ready', key, rows: 2 });
  });

  it('applies the request’s filters: answered between from and to', async () => {
    await startExport(deps, mia, { ...detractors, from: '2026-11-01', to: '2026-11-30' });

    const result = await runExportJob(deps, 'job-0001');

    expect(result).toMatchObject({ outcome: 'exported', rows: 1 });
  });

  it('exports every response when asked, as JSON lines', async () => {
    const answer = (score: number, at: string): StoredAnswer => ({ score, reasons: [], source: 'form', at });
    answers = [
      {
        surveyId: 'sv-1',
        customerId: 'C1',
        storeId: 'S1',
        answer: answer(3, '2026-05-02T10:00:00.000Z'),
        firstAnsweredAt: '2026-05-02T10:00:00.000Z',
      },
      {
        surveyId: 'sv-2',
        customerId: 'C1',
        storeId: 'S1',
        answer: answer(1, '2026-11-02T10:00:00.000Z'),
        firstAnsweredAt: '2026-11-02T10:00:00.000Z',
      },
      {
        surveyId: 'sv-3',
        customerId: 'C2',
        storeId: 'S1',
        answer: answer(10, '2026-11-02T11:00:00.000Z'),
        firstAnsweredAt: '2026-11-02T11:00:00.000Z',
      },
    ];
    await startExport(deps, mia, { ...detractors, format: 'jsonl', everyResponse: true });

    const result = await runExportJob(deps, 'job-0001');

    expect(result).toEqual({
      outcome: 'exported',
      rows: 2,
      key: 'exports/2026-11-03/job-0001-detractors.jsonl',
    });
    const lines = (fakes.files.get(result.outcome === 'exported' ? result.key : '')?.body ?? '')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { customerId: string; score: number });
    expect(lines.map((line) => [line.customerId, line.score])).toEqual([
      ['C1', 3],
      ['C1', 1],
    ]);
  });

  it('does nothing for a job already done, when its task is delivered again', async () => {
    await startExport(deps, mia, detractors);
    await runExportJob(deps, 'job-0001');

    expect(await runExportJob(deps, 'job-0001')).toEqual({ outcome: 'nothing-to-do' });
    expect(fakes.calls.filter((call) => call.startsWith('files.upload'))).toHaveLength(1);
  });

  it('writes the file again from the start for a job cut off while running', async () => {
    await startExport(deps, mia, detractors);
    await fakes.jobRepository.markRunning('job-0001', '2026-11-03T08:00:01.000Z');
    clock.set('2026-11-03T08:20:00.000Z');

    expect(await runExportJob(deps, 'job-0001')).toMatchObject({ outcome: 'exported', rows: 2 });
    expect(fakes.jobs.get('job-0001')).toMatchObject({
      status: 'ready',
      updatedAt: '2026-11-03T08:20:00.000Z',
    });
  });

  it('does nothing for a job it does not know', async () => {
    expect(await runExportJob(deps, 'job-9999')).toEqual({ outcome: 'nothing-to-do' });
    expect(fakes.files.size).toBe(0);
  });
});

describe('runExportJob: a failing job', () => {
  const failWith = (error: Error) => {
    deps = {
      ...deps,
      customers: {
        ...deps.customers,
        querySegment: async () => {
          throw error;
        },
      },
    };
  };
  const throttled = () =>
    Object.assign(new Error('Rate exceeded on arn:aws:dynamodb:eu-west-1:123:table/x'), {
      name: 'ThrottlingException',
      $fault: 'client',
    });
  beforeEach(async () => {
    await startExport(deps, mia, detractors);
  });

  it('fails the job at once, with a short reason and no internals, when no retry would mend it', async () => {
    failWith(
      Object.assign(new Error('Invalid FilterExpression: attribute name is a reserved keyword; #x'), {
        name: 'ValidationException',
        $fault: 'client',
      }),
    );

    const result = await runExportJob(deps, 'job-0001', { attempt: 1, maxAttempts: 3 });

    expect(result).toMatchObject({ outcome: 'failed', failure: exportFailureReasons.invalidRequest });
    const status = await exportStatus(deps, mia, 'job-0001');
    expect(status).toMatchObject({ status: 'failed', failure: exportFailureReasons.invalidRequest });
    expect(JSON.stringify(status)).not.toMatch(/FilterExpression|stack|at .*\.ts/);
  });

  it('fails the job with the worker’s own reason when it rejects the request', async () => {
    failWith(new ExportRejectedError('The store S9 does not exist.'));

    expect(await runExportJob(deps, 'job-0001', { attempt: 1, maxAttempts: 3 })).toMatchObject({
      outcome: 'failed',
    });
    expect(fakes.jobs.get('job-0001')).toMatchObject({
      status: 'failed',
      failure: 'The store S9 does not exist.',
    });
  });

  it('keeps the job running while retries remain, and fails it on the last one, still throwing', async () => {
    failWith(throttled());

    await expect(runExportJob(deps, 'job-0001', { attempt: 1, maxAttempts: 3 })).rejects.toThrow('Rate');
    await expect(runExportJob(deps, 'job-0001', { attempt: 2, maxAttempts: 3 })).rejects.toThrow('Rate');
    expect(fakes.jobs.get('job-0001')?.status).toBe('running');

    await expect(runExportJob(deps, 'job-0001', { attempt: 3, maxAttempts: 3 })).rejects.toThrow('Rate');
    expect(fakes.jobs.get('job-0001')).toMatchObject({
      status: 'failed',
      failure: exportFailureReasons.gaveUp(3),
    });
    expect(fakes.jobs.get('job-0001')?.failure).not.toContain('Rate exceeded');
  });

  it('runs a failed job again when its task is redriven from the dead-letter queue', async () => {
    failWith(throttled());
    await expect(runExportJob(deps, 'job-0001', { attempt: 1, maxAttempts: 1 })).rejects.toThrow();
    expect(fakes.jobs.get('job-0001')?.status).toBe('failed');

    deps = {
      ...deps,
      customers: { ...deps.customers, querySegment: async () => ({ customers: [], nextKey: undefined }) },
    };
    expect(await runExportJob(deps, 'job-0001')).toMatchObject({ outcome: 'exported', rows: 0 });
    expect(fakes.jobs.get('job-0001')).not.toHaveProperty('failure');
  });
});

describe('exportStatus: a stalled job', () => {
  beforeEach(async () => {
    await startExport(deps, mia, detractors);
  });

  it('reports a job running with no news past the deadline as failed', async () => {
    await fakes.jobRepository.markRunning('job-0001', '2026-11-03T08:00:01.000Z');
    clock.set('2026-11-03T09:45:00.000Z');
    expect(await exportStatus(deps, mia, 'job-0001')).toMatchObject({ status: 'running' });

    clock.set('2026-11-03T09:45:02.000Z');
    expect(await exportStatus(deps, mia, 'job-0001')).toMatchObject({
      status: 'failed',
      failure: exportFailureReasons.stalled,
    });
  });

  it('reports a job whose task never came as failed too, and never a ready one', async () => {
    clock.set('2026-11-04T08:00:00.000Z');
    expect(await exportStatus(deps, mia, 'job-0001')).toMatchObject({ status: 'failed' });

    await runExportJob(deps, 'job-0001');
    clock.set('2026-11-09T08:00:00.000Z');
    expect(await exportStatus(deps, mia, 'job-0001')).toMatchObject({ status: 'ready' });
  });
});
