/** Rules of export jobs: pure. */

/** Why an export job failed, as its requester sees it: short, with no internals. */
export const exportFailureReasons = {
  invalidRequest: 'The export’s filters could not be applied. Check them and start a new export.',
  rejected:
    'The export could not be written (a request or configuration error, logged for the operators). Start it again once it is fixed.',
  gaveUp: (attempts: number) =>
    `The export failed ${attempts} times and was given up (logged for the operators). Start it again later.`,
  stalled: 'The export stopped without finishing and was given up. Start it again.',
} as const;

/** A failure the export worker knows will not pass on a retry, with the reason the requester is shown. */
export class ExportRejectedError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'ExportRejectedError';
  }
}

/**
 * How long a job may go without news before it is reported failed: a run lasts at most the worker's
 * timeout, and a failed run is retried within the queue's visibility timeout of being received (when
 * it is marked running again), so past both together no run is under way and none will come.
 */
export const exportStallSeconds = (worker: { timeoutSeconds: number; visibilityTimeoutSeconds: number }) =>
  worker.visibilityTimeoutSeconds + worker.timeoutSeconds;

/**
 * A job as its requester should see it: one still queued or running with no news for longer than
 * `stallSeconds` is failed (its last run died with its retries used up, or its task was lost).
 */
export const reportedExportJob = <Job extends { status: string; updatedAt: string; failure?: string }>(
  job: Job,
  now: Date,
  stallSeconds: number,
): Job => {
  const stalled =
    (job.status === 'queued' || job.status === 'running') &&
    now.getTime() - new Date(job.updatedAt).getTime() > stallSeconds * 1000;
  return stalled ? { ...job, status: 'failed', failure: exportFailureReasons.stalled } : job;
};
