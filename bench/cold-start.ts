import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { surveyKeyOf } from '../functions/domain/survey-link';
import { surveysTable } from '../functions/resources/tables';
import { bundleEntry, bundleFile, bundleHandler } from '../lib/bundling/handler-bundle';
import type { BareCall } from './cold-start-bare';
import { answerableSurvey } from './ingestion';

/**
 * A first request that a function answers with DynamoDB calls only, and the same calls made by the
 * bare baseline handler. Each sample gets fresh items (`token`), so every run does the same work.
 */
interface ColdStartCase {
  readonly handler: string;
  readonly request: string;
  readonly expectedStatus: number;
  readonly event: (token: string) => unknown;
  readonly bareCalls: (token: string, env: Readonly<Record<string, string>>) => readonly BareCall[];
}

const httpEvent = (method: string, path: string, token: string, extra: Record<string, unknown> = {}) => ({
  version: '2.0',
  routeKey: `${method} ${path.replace(token, '{token}')}`,
  rawPath: path,
  rawQueryString: '',
  headers: { accept: 'text/html' },
  pathParameters: { token },
  requestContext: { http: { method, path } },
  isBase64Encoded: false,
  ...extra,
});

/** The key of the survey behind a link (see `answerableSurvey`). */
const surveyKey = (token: string) => ({ token: { S: surveyKeyOf(token) } });

/** The survey link's first requests and the unsubscribe page: the function's cold starts customers meet. */
export const coldStartCases: readonly ColdStartCase[] = [
  {
    handler: 'survey',
    request: 'POST /s/{token} (JSON answer)',
    expectedStatus: 200,
    event: (token) =>
      httpEvent('POST', `/s/${token}`, token, {
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ score: 9, comment: 'Friendly staff, quick service.' }),
      }),
    bareCalls: (token, env) => [
      {
        kind: 'UpdateItem',
        table: env[surveysTable.envVar] ?? '',
        key: surveyKey(token),
        set: {
          answer: { M: { score: { N: '9' }, comment: { S: 'Friendly staff, quick service.' } } },
          status: { S: 'responded' },
        },
      },
    ],
  },
  {
    handler: 'survey',
    request: 'GET /s/{token}?score=9 (survey page)',
    expectedStatus: 200,
    event: (token) => ({
      ...httpEvent('GET', `/s/${token}`, token),
      rawQueryString: 'score=9',
      queryStringParameters: { score: '9' },
    }),
    bareCalls: (token, env) => [
      { kind: 'GetItem', table: env[surveysTable.envVar] ?? '', key: surveyKey(token) },
    ],
  },
  {
    handler: 'unsubscribe',
    request: 'GET /u/{token} (confirmation page)',
    expectedStatus: 200,
    event: (token) => httpEvent('GET', `/u/${token}`, token),
    bareCalls: (token, env) => [
      { kind: 'GetItem', table: env[surveysTable.envVar] ?? '', key: surveyKey(token) },
    ],
  },
];

export interface ColdStartOptions {
  /** Cold starts measured per case, for the function and for the baseline alike (odd: a median). */
  readonly samples?: number;
  readonly log?: (line: string) => void;
}

export interface ColdStartResult {
  readonly handler: string;
  readonly request: string;
  /**
   * Median cold start: from the process's start (Node.js's own start-up included, as in a Lambda
   * sandbox) to the end of the first invocation.
   */
  readonly medianMillis: number;
  /** The same for the bare handler making the same DynamoDB calls. */
  readonly bareMedianMillis: number;
  readonly ratio: number;
  readonly samples: number;
  /** The stricter view: from just before the import to the end of the first invocation. */
  readonly fromImportMedianMillis: number;
  readonly bareFromImportMedianMillis: number;
  readonly fromImportRatio: number;
  /** Medians of the import alone and of the first invocation alone, function then baseline. */
  readonly importMedianMillis: number;
  readonly invokeMedianMillis: number;
  readonly bareImportMedianMillis: number;
  readonly bareInvokeMedianMillis: number;
  readonly kilobytes: number;
  readonly bareKilobytes: number;
}

interface Run {
  readonly statusCode?: number;
  readonly importMillis: number;
  readonly invokeMillis: number;
  readonly totalMillis: number;
  readonly sinceProcessStartMillis: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
};

/** The environment of a function's process: the given one, as Lambda would see it. */
const functionEnv = (env: Readonly<Record<string, string>>, name: string) => {
  const { POWERTOOLS_DEV: _dev, NODE_OPTIONS: _options, ...rest } = env;
  return {
    PATH: process.env.PATH ?? '',
    BRAND_NAME: 'closeloop',
    ...rest,
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
};

const runOnce = (runner: string, bundle: string, eventFile: string, env: Record<string, string>) =>
  new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [runner, bundle, eventFile], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data;
    });
    child.stderr.on('data', (data: Buffer) => {
      errors += data;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      // The handler may log too: the runner's line is the one with the times.
      const line = output.split('\n').find((each) => each.includes('"totalMillis"'));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line) as Run);
      else reject(new Error(`cold start of ${bundle} failed (${code}): ${errors || output}`));
    });
  });

/**
 * Cold starts of the bundled functions against DynamoDB Local, each in a fresh Node.js process: the
 * time from the process's start to the end of the first invocation of the bundle (as the stack builds
 * it, `lib/bundling`), against the same for a bare handler bundle (a plain DynamoDBClient making the
 * same DynamoDB calls, `cold-start-bare.ts`); also from just before the import, which leaves Node.js's
 * own start-up out. Runs alternate between the two; the first pair warms the file cache and is not
 * counted. `env` is the local cloud's, with provisioned tables (`SURVEYS_TABLE`).
 */
export const benchColdStart = async (
  env: Record<string, string>,
  { samples = 15, log = () => undefined }: ColdStartOptions = {},
): Promise<ColdStartResult[]> => {
  const surveys = env[surveysTable.envVar];
  if (surveys === undefined) throw new Error(`the environment names no ${surveysTable.envVar}`);
  const db = createDocumentClient({
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    region: env.AWS_REGION,
    ...(env.AWS_ACCESS_KEY_ID &&
      env.AWS_SECRET_ACCESS_KEY && {
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
      }),
  });
  const dir = await mkdtemp(join(tmpdir(), 'closeloop-cold-start-'));
  try {
    const runner = join(dir, 'cold-start-run.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./cold-start-run.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: runner,
      logLevel: 'warning',
    });
    const bare = await bundleEntry(
      fileURLToPath(new URL('./cold-start-bare.ts', import.meta.url)),
      join(dir, 'bare'),
    );
    const bundles = new Map<string, number>();
    for (const handler of new Set(coldStartCases.map((each) => each.handler))) {
      bundles.set(handler, (await bundleHandler(handler, join(dir, handler))).bytes);
    }

    const results: ColdStartResult[] = [];
    for (const [index, each] of coldStartCases.entries()) {
      const runs: Run[] = [];
      const bareRuns: Run[] = [];
      for (let sample = 0; sample <= samples; sample++) {
        const [token, bareToken] = [0, 1].map(() => randomBytes(16).toString('base64url')) as [
          string,
          string,
        ];
        await Promise.all(
          [token, bareToken].map((item) =>
            db.send(new PutCommand({ TableName: surveys, Item: answerableSurvey(item) })),
          ),
        );
        const eventFile = join(dir, `event-${index}-${sample}.json`);
        const bareEventFile = join(dir, `bare-event-${index}-${sample}.json`);
        await writeFile(eventFile, JSON.stringify(each.event(token)));
        await writeFile(bareEventFile, JSON.stringify({ calls: each.bareCalls(bareToken, env) }));
        const runFunction = () =>
          runOnce(runner, join(dir, each.handler, bundleFile), eventFile, functionEnv(env, each.handler));
        const runBare = () =>
          runOnce(runner, join(dir, 'bare', bundleFile), bareEventFile, functionEnv(env, 'bare'));
        // Which of the two goes first alternates, so that neither always finds the machine warmer.
        let run: Run;
        let bareRun: Run;
        if (sample % 2 === 0) {
          run = await runFunction();
          bareRun = await runBare();
        } else {
          bareRun = await runBare();
          run = await runFunction();
        }
        if (run.statusCode !== each.expectedStatus) {
          throw new Error(
            `${each.handler} ${each.request} answered ${run.statusCode}, not ${each.expectedStatus}`,
          );
        }
        // The first pair warms the file cache.
        if (sample > 0) {
          runs.push(run);
          bareRuns.push(bareRun);
        }
      }
      const of = (list: readonly Run[], field: Exclude<keyof Run, 'statusCode'>) =>
        median(list.map((run) => run[field]));
      const result: ColdStartResult = {
        handler: each.handler,
        request: each.request,
        medianMillis: of(runs, 'sinceProcessStartMillis'),
        bareMedianMillis: of(bareRuns, 'sinceProcessStartMillis'),
        ratio: of(runs, 'sinceProcessStartMillis') / of(bareRuns, 'sinceProcessStartMillis'),
        samples,
        fromImportMedianMillis: of(runs, 'totalMillis'),
        bareFromImportMedianMillis: of(bareRuns, 'totalMillis'),
        fromImportRatio: of(runs, 'totalMillis') / of(bareRuns, 'totalMillis'),
        importMedianMillis: of(runs, 'importMillis'),
        invokeMedianMillis: of(runs, 'invokeMillis'),
        bareImportMedianMillis: of(bareRuns, 'importMillis'),
        bareInvokeMedianMillis: of(bareRuns, 'invokeMillis'),
        kilobytes: Math.round((bundles.get(each.handler) ?? 0) / 1024),
        bareKilobytes: Math.round(bare.bytes / 1024),
      };
      log(
        `  ${`${each.handler} ${each.request}`.padEnd(48)} ${result.medianMillis.toFixed(0)} ms vs bare ` +
          `${result.bareMedianMillis.toFixed(0)} ms: ratio ${result.ratio.toFixed(2)} ` +
          `(from the import: ${result.fromImportMedianMillis.toFixed(0)} vs ` +
          `${result.bareFromImportMedianMillis.toFixed(0)} ms, ${result.fromImportRatio.toFixed(2)})`,
      );
      results.push(result);
    }
    return results;
  } finally {
    db.destroy();
    await rm(dir, { recursive: true, force: true });
  }
};
