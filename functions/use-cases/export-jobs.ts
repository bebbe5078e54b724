import { isPassingFailure } from '../adapters/aws-errors';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { ExportUploads } from '../adapters/export-files';
import type { ExportLinks } from '../adapters/export-links';
import type { ExportRepository } from '../adapters/export-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { TaskQueue } from '../adapters/task-queue';
import type { Access } from '../domain/access';
import { ForbiddenError, NotFoundError } from '../domain/errors';
import { ExportRejectedError, exportFailureReasons, reportedExportJob } from '../domain/exports';
import type { ExportJob, ExportRequest } from '../schemas/export';
import { responseRows, segmentRows, type TestimonialExportDeps, writeSegmentFile } from './export-segment';

const JOB_DAYS = 7;
const LINK_SECONDS = 15 * 60;

export interface ExportJobDeps {
  readonly jobs: Pick<ExportRepository, 'create' | 'get' | 'markRunning' | 'markReady' | 'markFailed'>;
  readonly queue: Pick<TaskQueue, 'sendAll'>;
  readonly files: ExportUploads & ExportLinks;
  readonly customers: Pick<CustomerRepository, 'querySegment' | 'getMany'>;
  readonly surveys: Pick<SurveyRepository, 'scanAnswered'>;
  readonly clock?: () => Date;
  readonly newJobId: () => string;
  /** A job queued or running with no news for longer is reported failed (`exportStallSeconds`). */
  readonly stallSeconds: number;
}

/** What the API needs: it starts and watches jobs, and hands out the files by link. */
export type ExportApiDeps = Pick<ExportJobDeps, 'jobs' | 'queue' | 'clock' | 'newJobId' | 'stallSeconds'> & {
  readonly files: ExportLinks;
};

/** What the exporter needs: it runs jobs, writing the files. */
export type ExporterDeps = Pick<ExportJobDeps, 'jobs' | 'customers' | 'surveys' | 'clock'> & {
  readonly files: ExportUploads;
  /** The testimonials segment's consented quotes. */
  readonly testimonials?: TestimonialExportDeps;
};

const now = (deps: { clock?: () => Date }) => (deps.clock ?? (() => new Date()))();

/** Segments hold every store's customers' contact details: only marketing and admins may export them. */
const checkMayExport = (access: Access) => {
  if (access.kind !== 'all-stores') {
    throw new ForbiddenError('Only marketing and admins may export segments.');
  }
};

/** Starts an export job: recorded, then queued for the exporter. */
export const startExport = async (deps: ExportApiDeps, access: Access, request: ExportRequest) => {
  checkMayExport(access);
  const at = now(deps);
  const job: ExportJob = {
    jobId: deps.newJobId(),
    status: 'queued',
    request,
    requestedBy: access.user,
    requestedBySub: access.sub,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    expiration: Math.floor(at.getTime() / 1000) + JOB_DAYS * 86_400,
  };
  await deps.jobs.create(job);
  await deps.queue.sendAll([{ jobId: job.jobId }]);
  return job;
};

/**
 * A job's state for whoever started it (or an admin), with a 15-minute download link once ready, or
 * why it failed (a job that stalled past the worker's retries counts as failed).
 */
export const exportStatus = async (deps: ExportApiDeps, access: Access, jobId: string) => {
  checkMayExport(access);
  const job = await deps.jobs.get(jobId);
  if (job === undefined) throw new NotFoundError('No such export job (jobs are kept for 7 days).');
  if (job.requestedBySub !== access.sub && !(access.kind === 'all-stores' && access.role === 'admin')) {
    throw new ForbiddenError('This export was started by someone else.');
  }
  const reported = reportedExportJob(job, now(deps), deps.stallSeconds);
  return {
    ...reported,
    ...(reported.status === 'ready' &&
      job.key !== undefined && {
        downloadUrl: await deps.files.downloadUrl(job.key, LINK_SECONDS),
        downloadExpiresInSeconds: LINK_SECONDS,
      }),
  };
};

/** Which delivery of its task this run is, and how many there are before it goes to the dead-letter queue. */
export interface ExportAttempt {
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * Why a run failed for good, for the requester: an error no retry mends (`given: false`), or any
 * error on the last attempt (`given: true`); undefined when a retry may pass.
 */
const finalFailureOf = (error: unknown, { attempt, maxAttempts }: ExportAttempt) => {
  if (error instanceof ExportRejectedError) return { reason: error.reason, gaveUp: false };
  const { name, $fault } = (error ?? {}) as { name?: string; $fault?: string };
  if (name === 'ZodError' || name === '$ZodError' || name === 'ValidationException')
    return { reason: exportFailureReasons.invalidRequest, gaveUp: false };
  if ($fault === 'client' && !isPassingFailure(error))
    return { reason: exportFailureReasons.rejected, gaveUp: false };
  return attempt >= maxAttempts ? { reason: exportFailureReasons.gaveUp(attempt), gaveUp: true } : undefined;
};

/**
 * Runs a queued job: streams the segment into the bucket and marks the job ready. A redelivered task
 * for a job already done does nothing; one for a job cut off midway writes the file again from the
 * start (the object is replaced whole). A run that fails for good marks the job failed with a short
 * reason: an error no retry mends (a bad filter, a refused request) is returned, for the handler to
 * log, and its task is done; a failure a retry may mend is thrown, and on the last attempt the job is
 * marked failed first, so that its task reaches the dead-letter queue (and its alarm) as before.
 */
export const runExportJob = async (
  deps: ExporterDeps,
  jobId: string,
  attempt: ExportAttempt = { attempt: 1, maxAttempts: 1 },
) => {
  const job = await deps.jobs.get(jobId);
  if (job === undefined || !(await deps.jobs.markRunning(jobId, now(deps).toISOString()))) {
    return { outcome: 'nothing-to-do' as const };
  }
  try {
    const { rows, key } = await writeJobFile(deps, job);
    await deps.jobs.markReady(jobId, key, rows, now(deps).toISOString());
    return { outcome: 'exported' as const, rows, key };
  } catch (error) {
    const failure = finalFailureOf(error, attempt);
    if (failure === undefined) throw error;
    await deps.jobs.markFailed(jobId, failure.reason, now(deps).toISOString());
    // Given up: the task goes on to the dead-letter queue (and its alarm). Else no retry would help.
    if (failure.gaveUp) throw error;
    return { outcome: 'failed' as const, failure: failure.reason, error };
  }
};

const writeJobFile = async (deps: ExporterDeps, job: ExportJob) => {
  const { request, jobId } = job;
  const key = `exports/${job.createdAt.slice(0, 10)}/${jobId}-${request.segment}.${request.format}`;
  const rows = await deps.files.upload(key, request.format, (sink) =>
    writeSegmentFile(
      (request.everyResponse ? responseRows : segmentRows)(deps, {
        segment: request.segment,
        ...(request.stores && { storeIds: new Set(request.stores) }),
        ...(request.locales && { locales: new Set(request.locales) }),
        ...(request.attributes && { attributes: request.attributes }),
        ...(request.from && { from: request.from }),
        ...(request.to && { to: request.to }),
      }),
      sink,
      {
        format: request.format,
        bom: request.bom,
        attributeColumns: request.attributeColumns ?? [],
        segment: request.segment,
      },
    ),
  );
  return { rows, key };
};
