import type { SQSClient } from '@aws-sdk/client-sqs';
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { chunk } from '../functions/adapters/dynamodb';
import { addDays, dueShardOf } from '../functions/domain/schedule';
import { scheduleInvitations } from '../functions/use-cases/schedule-surveys';
import { scheduleDeps } from '../functions/wiring/tick';

const now = new Date('2027-01-04T09:00:00.000Z');

/**
 * Writes `total` customers straight into the table (BatchWriteItem, the fastest way to fill DynamoDB
 * Local): the first `due` are due before `now`, the others at some point over the next six months.
 */
const seed = async (
  db: DynamoDBDocumentClient,
  table: string,
  total: number,
  due: number,
  onProgress: (n: number) => void,
) => {
  const writes = pLimit(8);
  let written = 0;
  const item = (n: number) => {
    const customerId = `B${n}`;
    return {
      customerId,
      email: `b${n}@bench.example.com`,
      storeId: 'S1',
      locale: 'en',
      attributes: {},
      contactStatus: 'subscribed',
      surveyHistory: [],
      dueShard: dueShardOf(customerId),
      nextSurveyAt: (n < due ? addDays(now, -1 - (n % 7)) : addDays(now, 1 + (n % 180))).toISOString(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
  };
  const batches = chunk(
    Array.from({ length: total }, (_, n) => n),
    25,
  );
  await Promise.all(
    batches.map((batch) =>
      writes(async () => {
        let requests = batch.map((n) => ({ PutRequest: { Item: item(n) } }));
        while (requests.length > 0) {
          const { UnprocessedItems } = await db.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests } }),
          );
          requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
        }
        written += batch.length;
        onProgress(written);
      }),
    ),
  );
};

/** Puts the due customers back to due, so the next run has the same work. */
const resetDue = (db: DynamoDBDocumentClient, table: string, due: number) =>
  seed(db, table, due, due, () => undefined);

export interface SchedulerRun {
  readonly customers: number;
  readonly due: number;
  readonly queued: number;
  readonly millis: number[];
}

/** Times `scheduleInvitations` over a table of `total` customers of whom `due` are due. */
export const benchScheduler = async (
  db: DynamoDBDocumentClient,
  sqs: SQSClient,
  env: Record<string, string>,
  { total, due, runs }: { total: number; due: number; runs: number },
  log: (line: string) => void,
): Promise<SchedulerRun> => {
  const table = env.CUSTOMERS_TABLE ?? '';
  let lastReport = 0;
  await seed(db, table, total, due, (written) => {
    if (written - lastReport >= 20_000 || written === total) {
      lastReport = written;
      log(`  seeded ${written}/${total}`);
    }
  });
  const deps = scheduleDeps(db, sqs, env);
  const millis: number[] = [];
  let queued = 0;
  for (let run = 0; run < runs; run++) {
    await resetDue(db, table, due);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: env.INVITATIONS_QUEUE_URL }));
    const started = performance.now();
    queued = await scheduleInvitations(deps, now);
    millis.push(performance.now() - started);
  }
  return { customers: total, due, queued, millis };
};
