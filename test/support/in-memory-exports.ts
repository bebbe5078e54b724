import { PassThrough, type Writable } from 'node:stream';
import type { ExportUploads } from '../../functions/adapters/export-files';
import type { ExportJob } from '../../functions/schemas/export';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The exports table and bucket in memory: jobs behind the export repository methods, with the
 * conditions of the DynamoDB ones (a ready job is never run again), and files kept whole per key,
 * handed out by a fake pre-signed link. `calls` logs every write in order.
 */
export const createExportFakes = () => {
  const jobs = new Map<string, ExportJob>();
  const files = new Map<string, { format: string; body: string }>();
  const links: { key: string; expiresInSeconds: number }[] = [];
  const calls: string[] = [];

  return {
    jobs,
    files,
    links,
    calls,
    jobRepository: {
      create: async (job: ExportJob) => {
        calls.push(`jobs.create ${job.jobId}`);
        if (jobs.has(job.jobId)) throw new Error(`job ${job.jobId} exists`);
        jobs.set(job.jobId, copy(job));
      },
      get: async (jobId: string) => copy(jobs.get(jobId)),
      markRunning: async (jobId: string, at: string) => {
        calls.push(`jobs.markRunning ${jobId}`);
        const job = jobs.get(jobId);
        if (job === undefined || job.status === 'ready') return false;
        Object.assign(job, { status: 'running', updatedAt: at });
        delete job.failure;
        return true;
      },
      markFailed: async (jobId: string, failure: string, at: string) => {
        calls.push(`jobs.markFailed ${jobId}`);
        const job = jobs.get(jobId);
        if (job === undefined || job.status === 'ready') return false;
        Object.assign(job, { status: 'failed', failure, updatedAt: at });
        return true;
      },
      markReady: async (jobId: string, key: string, rows: number, at: string) => {
        calls.push(`jobs.markReady ${jobId}`);
        const job = jobs.get(jobId);
        if (job === undefined) return false;
        Object.assign(job, { status: 'ready', key, rows, updatedAt: at });
        delete job.failure;
        return true;
      },
    },
    fileStore: {
      upload: async <T>(
        key: string,
        format: Parameters<ExportUploads['upload']>[1],
        write: (sink: Writable) => Promise<T>,
      ): Promise<T> => {
        calls.push(`files.upload ${key}`);
        const sink = new PassThrough();
        const chunks: Buffer[] = [];
        sink.on('data', (chunk: Buffer) => chunks.push(chunk));
        const result = await write(sink);
        // The object is replaced whole, as S3 does when a cut-off job writes it again.
        files.set(key, { format, body: Buffer.concat(chunks).toString('utf8') });
        return result;
      },
      downloadUrl: async (key: string, expiresInSeconds: number) => {
        links.push({ key, expiresInSeconds });
        return `https://exports.example.test/${key}?expires=${expiresInSeconds}`;
      },
    },
  };
};
