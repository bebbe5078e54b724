import { createExportRepository } from '../../functions/adapters/export-repository';
import { exportStallSeconds, reportedExportJob } from '../../functions/domain/exports';
import { exportSegments } from '../../functions/resources/manifests/workers';
import { visibilityTimeoutSecondsOf } from '../../functions/resources/queue-consumers';
import { exportsQueue } from '../../functions/resources/queues';
import { exportsTable } from '../../functions/resources/tables';
import type { ExportJob } from '../../functions/schemas/export';
import { tableNamesFrom } from '../../functions/shared/config';
import { UsageError } from '../errors';
import type { Target } from '../target';

/** A job as `GET /r/exports/{jobId}` reports it (a stalled one is failed), without the download link. */
export const exportJobStatus = async (
  target: Target,
  jobId: string,
  now = new Date(),
): Promise<ExportJob> => {
  const jobs = createExportRepository(
    target.documentClient(),
    tableNamesFrom({ exports: exportsTable }, target.env).exports,
  );
  const job = await jobs.get(jobId);
  if (job === undefined) throw new UsageError(`no export job ${jobId} (jobs are kept for 7 days)`);
  return reportedExportJob(
    job,
    now,
    exportStallSeconds({
      timeoutSeconds: exportSegments.timeoutSeconds,
      visibilityTimeoutSeconds: visibilityTimeoutSecondsOf(exportsQueue),
    }),
  );
};

/** One line about a job: its state, and the rows and file once ready, or why it failed. */
export const formatExportJob = (job: ExportJob) =>
  `${job.jobId}: ${job.status}` +
  (job.status === 'ready' ? `, ${job.rows ?? 0} rows in ${job.key ?? '?'}` : '') +
  (job.status === 'failed' ? ` (${job.failure ?? 'no reason recorded'})` : '') +
  `, ${job.request.segment} requested by ${job.requestedBy} at ${job.createdAt}\n`;
