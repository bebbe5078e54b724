import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Upload } from '@aws-sdk/lib-storage';
import { SingleBar } from 'cli-progress';
import { createImportJobRepository } from '../../functions/adapters/import-job-repository';
import { createS3Client } from '../../functions/adapters/s3';
import { exportsBucketEnvVar, importFilesQueue } from '../../functions/resources/queues';
import { importsTable } from '../../functions/resources/tables';
import type { ImportJob } from '../../functions/schemas/bulk-import';
import { importJobIdOf, importsPrefix } from '../../functions/use-cases/bulk-import';
import { UsageError } from '../errors';
import type { Target } from '../target';
import { jsonLine, type Terminal } from '../terminal';

type Env = Readonly<Record<string, string | undefined>>;

const required = (env: Env, name: string) => {
  const value = env[name];
  if (value === undefined || value === '')
    throw new UsageError(`${name} is not set: is the stack deployed (or \`npm start\` running)?`);
  return value;
};

/** The S3 client of a target: the emulator's endpoint locally, AWS's otherwise. */
export const targetS3Client = (target: Target): S3Client => {
  const endpoint = target.env.AWS_ENDPOINT_URL_S3;
  if (target.name === 'aws' || endpoint === undefined) return createS3Client();
  return createS3Client({
    endpoint,
    forcePathStyle: true,
    region: target.env.AWS_REGION,
    credentials: {
      accessKeyId: target.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: target.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  });
};

/**
 * Uploads a CSV file to the bucket's `imports/` prefix (multipart, so any size) and returns the job id
 * its import will have. In AWS the bucket's notification starts the splitter; the local S3 emulator
 * sends no notifications, so locally (`notifyQueueUrl` given) the same S3 event is sent to the queue.
 */
export const uploadForImport = async (
  { s3, sqs, env, local }: { s3: S3Client; sqs: SQSClient; env: Env; local: boolean },
  file: string,
): Promise<{ jobId: string; bucket: string; key: string }> => {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`file not found: ${file}`);
  const bucket = required(env, exportsBucketEnvVar);
  const key = `${importsPrefix}${basename(file)}`;
  const uploaded = await new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file), ContentType: 'text/csv' },
  }).done();
  const eTag = uploaded.ETag ?? '';
  if (local) {
    const event = { Records: [{ s3: { bucket: { name: bucket }, object: { key, eTag } } }] };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: required(env, importFilesQueue.envVar),
        MessageBody: JSON.stringify(event),
      }),
    );
  }
  return { jobId: importJobIdOf(key, eTag), bucket, key };
};

export const importJobs = (db: DynamoDBDocumentClient, env: Env) =>
  createImportJobRepository(db, required(env, importsTable.envVar));

/** Polls a job until it is done or failed (it may not exist yet: the splitter is still reading). */
export const followImport = async (
  jobs: Pick<ReturnType<typeof importJobs>, 'get'>,
  jobId: string,
  onProgress: (job: ImportJob) => void,
  { intervalMs = 500, timeoutMs = 6 * 3600_000 } = {},
): Promise<ImportJob> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobs.get(jobId);
    if (job !== undefined) {
      onProgress(job);
      if (job.status !== 'importing') return job;
    }
    if (Date.now() > deadline) throw new Error(`import job ${jobId} not finished after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/** "done: 99,012 created, 0 updated, 0 unchanged, 988 rejected (chunks 24/24)" and where the rejects are. */
export const formatImportJob = (job: ImportJob) =>
  [
    `job ${job.jobId}: ${job.status}${job.failure ? ` (${job.failure})` : ''}`,
    `file s3://${job.bucket}/${job.key}, ${job.linesTotal} lines, chunks ${job.chunksDone}/${job.chunksTotal}`,
    `${job.read} rows read: ${job.created} created, ${job.updated} updated, ${job.unchanged} unchanged, ${job.rejected} rejected`,
    ...(job.rejectsKey ? [`rejected rows with their reasons: s3://${job.bucket}/${job.rejectsKey}`] : []),
  ].join('\n') + '\n';

/** The job without its bookkeeping lists, for `--json`. */
const publicJob = ({ countedChunks: _counted, rejectChunks: _rejects, header: _header, ...job }: ImportJob) =>
  job;

/**
 * `closeloop import-customers --remote FILE`: uploads, then follows the job with a progress bar (or
 * prints the job once done with `--json`). Exit code: 0 all imported, 1 some rejected, 3 failed.
 */
export const runRemoteImport = async (
  target: Target,
  file: string,
  options: { json?: boolean; progress: boolean },
  terminal: Terminal,
): Promise<number> => {
  const s3 = targetS3Client(target);
  const { jobId, bucket, key } = await uploadForImport(
    { s3, sqs: target.sqsClient(), env: target.env, local: target.name === 'local' },
    file,
  );
  if (!options.json) terminal.stderr.write(`uploaded to s3://${bucket}/${key}; job ${jobId}\n`);
  const job = await followJob(target, jobId, options);
  terminal.stdout.write(options.json ? jsonLine(publicJob(job)) : formatImportJob(job));
  return job.status === 'failed' ? 3 : job.rejected > 0 ? 1 : 0;
};

/** `closeloop imports status JOB [--follow]`. */
export const runImportStatus = async (
  target: Target,
  jobId: string,
  options: { json?: boolean; follow?: boolean },
  terminal: Terminal,
): Promise<number> => {
  const jobs = importJobs(target.documentClient(), target.env);
  const job = options.follow
    ? await followJob(target, jobId, { json: options.json, progress: true })
    : await jobs.get(jobId);
  if (job === undefined) throw new UsageError(`no import job ${jobId}`);
  terminal.stdout.write(options.json ? jsonLine(publicJob(job)) : formatImportJob(job));
  return job.status === 'failed' ? 3 : 0;
};

const followJob = async (target: Target, jobId: string, options: { json?: boolean; progress: boolean }) => {
  const showBar = options.progress && !options.json && process.stderr.isTTY === true;
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      '{bar} {percentage}% | chunks {chunksDone}/{chunksTotal} | {read} rows | {created} new, {rejected} rejected | ETA {eta_formatted}',
    barsize: 30,
    hideCursor: true,
    etaBuffer: 20,
  });
  let started = false;
  try {
    return await followImport(importJobs(target.documentClient(), target.env), jobId, (job) => {
      if (!showBar) return;
      if (!started) bar.start(Math.max(job.linesTotal, 1), 0, job);
      started = true;
      bar.update(Math.min(job.read, job.linesTotal), job);
    });
  } finally {
    if (started) bar.stop();
  }
};
