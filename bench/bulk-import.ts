import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import pLimit from 'p-limit';
import { followImport, uploadForImport } from '../cli/commands/import-remote';
import { createImportJobRepository } from '../functions/adapters/import-job-repository';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { BULK_FIRST_SURVEY_SPREAD_DAYS, dueShardOf, firstSurveyAt } from '../functions/domain/schedule';
import { importChunksQueue, importFilesQueue } from '../functions/resources/queues';
import { provisionBuckets, provisionQueues, provisionTables } from '../local/provision';
import { createQueuePoller } from '../local/queue-poller';

type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** The writes an import makes for one new customer, in one transaction: its e-mail claim and its item. */
const rawTransaction = (env: Record<string, string>, i: number, now: string) => {
  const customerId = `R${i}`;
  const email = `r${i}@example.com`;
  return new TransactWriteCommand({
    TransactItems: [
      {
        Put: {
          TableName: env.CUSTOMER_EMAILS_TABLE,
          Item: { email, customerId, claimedAt: now },
          ConditionExpression: 'attribute_not_exists(email) OR customerId = :customerId',
          ExpressionAttributeValues: { ':customerId': customerId },
        },
      },
      {
        Put: {
          TableName: env.CUSTOMERS_TABLE,
          Item: {
            customerId,
            email,
            firstName: `First${i}`,
            lastName: `Last${i}`,
            storeId: 'S1',
            locale: 'en',
            attributes: {},
            contactStatus: 'subscribed',
            nextSurveyAt: firstSurveyAt(
              customerId,
              new Date(now),
              BULK_FIRST_SURVEY_SPREAD_DAYS,
            ).toISOString(),
            dueShard: dueShardOf(customerId),
            surveyHistory: [],
            createdAt: now,
            updatedAt: now,
            importMark: `bench#${i + 1}#created`,
          },
          ConditionExpression: 'attribute_not_exists(customerId)',
        },
      },
    ],
  });
};

/**
 * Rows per second of a bulk import through the real splitter and chunk workers (each worker a queue
 * poller with its own handler module, as a Lambda environment), from the upload to the job done,
 * against raw TransactWriteItems of the same items (`rawConcurrency` at a time: 4 batches × 8 writes,
 * a worker's own in-flight writes, times the workers), each on fresh tables of the same DynamoDB Local.
 */
export const benchBulkImport = async (
  clients: { dynamodb: DynamoDBClient; db: DynamoDBDocumentClient; sqs: SQSClient; s3: S3Client },
  baseEnv: Record<string, string>,
  {
    rows,
    workerCounts = [1, 2, 4],
    chunkBytes = 48_000,
  }: { rows: number; workerCounts?: number[]; chunkBytes?: number },
  log: (line: string) => void = () => undefined,
) => {
  const file = join(tmpdir(), `closeloop-bench-bulk-${process.pid}.csv`);
  const lines = ['customerId,email,firstName,lastName,storeId,locale'];
  for (let i = 0; i < rows; i++) lines.push(`C${i},c${i}@example.com,First${i},Last${i},S1,en`);
  writeFileSync(file, `${lines.join('\n')}\n`);

  const namespaceEnv = async (namespace: string): Promise<Record<string, string>> => ({
    ...baseEnv,
    ...(await provisionTables(clients.dynamodb, namespace)),
    ...(await provisionQueues(clients.sqs, namespace)),
    ...(await provisionBuckets(clients.s3, namespace)),
    IMPORT_CHUNK_BYTES: String(chunkBytes),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });

  const raw = async (namespace: string, concurrency: number) => {
    const env = await namespaceEnv(namespace);
    const limit = pLimit(concurrency);
    const now = new Date().toISOString();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: rows }, (_, i) => limit(() => clients.db.send(rawTransaction(env, i, now)))),
    );
    return rows / ((performance.now() - started) / 1000);
  };

  const bulk = async (namespace: string, workers: number) => {
    const env = await namespaceEnv(namespace);
    Object.assign(process.env, env);
    await createStoreRepository(clients.db, env.STORES_TABLE ?? '').upsert(
      {
        storeId: 'S1',
        name: 'Bench',
        managerEmail: 'manager@example.com',
        regionalManagerEmail: 'region@example.com',
        timezone: 'Europe/Paris',
      } as never,
      new Date().toISOString(),
    );
    const poller = (handler: string, queueUrl: string, instance: number) =>
      createQueuePoller({
        sqs: clients.sqs,
        queueUrl,
        functionName: handler,
        batchSize: 1,
        load: async () =>
          (
            (await import(`../functions/handlers/${handler}.ts?bench=${namespace}-${instance}`)) as {
              handler: QueueHandler;
            }
          ).handler,
      });
    const splitter = poller('import-files', env[importFilesQueue.envVar] ?? '', 0);
    const fleet = Array.from({ length: workers }, (_, instance) =>
      poller('import-chunks', env[importChunksQueue.envVar] ?? '', instance),
    );
    const started = performance.now();
    const { jobId } = await uploadForImport({ s3: clients.s3, sqs: clients.sqs, env, local: true }, file);
    await splitter.drain(600_000);
    await Promise.all(fleet.map((worker) => worker.drain(1_800_000)));
    const job = await followImport(
      createImportJobRepository(clients.db, env.IMPORTS_TABLE ?? ''),
      jobId,
      () => undefined,
    );
    const seconds = (performance.now() - started) / 1000;
    if (job.created !== rows) throw new Error(`bulk import created ${job.created} of ${rows} customers`);
    return { rowsPerSecond: rows / seconds, chunks: job.chunksTotal };
  };

  const results: {
    workers: number;
    rowsPerSecond: number;
    rawPerSecond: number;
    ratio: number;
    chunks: number;
  }[] = [];
  for (const workers of workerCounts) {
    // The raw writes run just before, on the same DynamoDB Local, at the same number of writes in flight.
    const rawPerSecond = await raw(`benchRaw${workers}`, 32 * workers);
    const run = await bulk(`benchBulk${workers}`, workers);
    const result = { workers, ...run, rawPerSecond, ratio: run.rowsPerSecond / rawPerSecond };
    log(
      `  ${workers} worker(s), ${run.chunks} chunks: ${run.rowsPerSecond.toFixed(0)} rows/s vs raw TransactWriteItems ${rawPerSecond.toFixed(0)}/s: ratio ${result.ratio.toFixed(2)}`,
    );
    results.push(result);
  }
  const best = results.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return { rows, chunkBytes, runs: results, best };
};
