import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { chunk, documentClientFor } from '../functions/adapters/dynamodb';
import type { Access } from '../functions/domain/access';
import { aggregateKeysOf, countDelta, periodsOf } from '../functions/domain/aggregates';
import { buildReport } from '../functions/use-cases/report';
import { reportsWiring } from '../functions/wiring/reports';
import { localCredentials, localRegion } from '../local/emulators/local-aws';
import { provisionTables } from '../local/provision';
import { startCloudProcess } from './cloud-process';

const STORES = 20;
const year = { from: '2026-01-01', to: '2026-12-31', by: 'month' as const };
const marketing: Access = { kind: 'all-stores', user: 'bench', sub: 'bench', role: 'marketing' };

const putAll = async (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) => {
  const writes = pLimit(8);
  await Promise.all(
    chunk(items, 25).map((batch) =>
      writes(async () => {
        let requests = batch.map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const { UnprocessedItems } = await db.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests } }),
          );
          requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }),
    ),
  );
};

/** Survey `n` of the benchmark: its store, answer time (spread over the year) and score. */
const surveyOf = (n: number) => {
  const storeId = `R${n % STORES}`;
  const answeredAt = new Date(Date.UTC(2026, 0, 1) + ((n * 7_919) % 365) * 86_400_000 + (n % 86_400) * 1000);
  const score = (n * 37) % 11;
  return { storeId, answeredAt: answeredAt.toISOString(), score };
};

export interface ReportRun {
  readonly responses: number;
  readonly aggregateItems: number;
  readonly millis: number[];
  readonly medianMillis: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Times a year's monthly report of every store as the stored responses grow (`sizes`, ascending):
 * the responses are written as counted surveys, and the aggregates are exactly what counting them
 * would have written. The report reads only the aggregates, so its time should not grow.
 */
export const benchReport = async (
  db: DynamoDBDocumentClient,
  env: Record<string, string>,
  { sizes, runs }: { sizes: number[]; runs: number },
  log: (line: string) => void,
): Promise<ReportRun[]> => {
  Object.assign(process.env, env);
  const now = new Date().toISOString();
  await putAll(
    db,
    env.STORES_TABLE ?? '',
    Array.from({ length: STORES }, (_, n) => ({
      storeId: `R${n}`,
      name: `Bench store ${n}`,
      managerEmail: `manager${n}@bench.example.com`,
      timezone: 'Europe/Paris',
      createdAt: now,
      updatedAt: now,
    })),
  );
  const aggregates = new Map<string, Record<string, number>>();
  const deps = reportsWiring();
  const results: ReportRun[] = [];
  let written = 0;
  for (const size of sizes) {
    const surveys = [];
    for (let n = written; n < size; n++) {
      const { storeId, answeredAt, score } = surveyOf(n);
      const periods = periodsOf(answeredAt);
      for (const { scope, period } of aggregateKeysOf(storeId, periods)) {
        const key = `${scope}|${period}`;
        const counts = aggregates.get(key) ?? { invited: 0 };
        counts.invited = (counts.invited ?? 0) + 1;
        for (const [attribute, amount] of Object.entries(countDelta(undefined, score)))
          counts[attribute] = (counts[attribute] ?? 0) + amount;
        aggregates.set(key, counts);
      }
      surveys.push({
        token: `bench-token-${n}`,
        surveyId: `bench-survey-${n}`,
        customerId: `C${n}`,
        storeId,
        locale: 'en',
        cycleAt: answeredAt,
        status: 'responded',
        createdAt: answeredAt,
        sentAt: answeredAt,
        expiresAt: answeredAt,
        firstAnsweredAt: answeredAt,
        answer: { score, reasons: [], source: 'form', at: answeredAt, comment: `Comment ${n}` },
        counted: { score, version: 1, ...periods },
      });
    }
    await putAll(db, env.SURVEYS_TABLE ?? '', surveys);
    written = size;
    await putAll(
      db,
      env.AGGREGATES_TABLE ?? '',
      [...aggregates].map(([key, counts]) => {
        const [scope, period] = key.split('|');
        return { scope, period, ...counts };
      }),
    );
    const millis: number[] = [];
    // One run more than timed: the first warms the code and connections.
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const report = await buildReport(deps, marketing, year);
      if (run > 0) millis.push(performance.now() - started);
      if (report.overall.responses !== size) {
        throw new Error(`The report counted ${report.overall.responses} responses, not ${size}.`);
      }
    }
    const run = { responses: size, aggregateItems: aggregates.size, millis, medianMillis: median(millis) };
    log(
      `  ${size.toLocaleString('en')} responses (${run.aggregateItems} aggregate items): median ${run.medianMillis.toFixed(0)} ms`,
    );
    results.push(run);
  }
  return results;
};

/** Runs the report benchmark on its own namespace of the local cloud; `ratio` is time(largest)/time(smallest). */
export const measureReport = async (
  cloud: Awaited<ReturnType<typeof startCloudProcess>>,
  log: (line: string) => void,
) => {
  const dynamodb = new DynamoDBClient({
    region: localRegion,
    credentials: localCredentials,
    endpoint: cloud.endpoints.dynamodb,
  });
  const env = { ...cloud.env, ...(await provisionTables(dynamodb, 'benchReport')) };
  const runs = await benchReport(
    documentClientFor(dynamodb),
    env,
    { sizes: [2_000, 20_000, 100_000], runs: 7 },
    log,
  );
  const ratio = (runs.at(-1)?.medianMillis ?? Number.NaN) / (runs[0]?.medianMillis ?? Number.NaN);
  return { runs, ratio };
};

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const cloud = await startCloudProcess();
  try {
    log('Report of a year by month, 20 stores, as stored responses grow:');
    const { ratio } = await measureReport(cloud, log);
    log(`  ratio time(100k)/time(2k): ${ratio.toFixed(2)} (target ≤ 1.3)`);
  } finally {
    await cloud.stop();
  }
}
