/**
 * One cold start, in the fresh Node.js process `bench/cold-start.ts` spawns for it:
 * `node cold-start-run.mjs BUNDLE EVENT_FILE`. Imports the bundle, invokes its handler once with the
 * event, and prints one JSON line with the times (milliseconds since just before the import, and
 * since the process started). Plain Node.js, no loader: `cold-start.ts` compiles it to `.mjs` first,
 * so that nothing but the bundle is loaded on the clock.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile] = process.argv.slice(2);
if (bundle === undefined || eventFile === undefined) throw new Error('usage: BUNDLE EVENT_FILE');
const event: unknown = JSON.parse(readFileSync(eventFile, 'utf8'));

const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'cold-start',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:cold-start',
  memoryLimitInMB: '256',
  awsRequestId: 'cold-start-request',
  logGroupName: '/aws/lambda/cold-start',
  logStreamName: 'cold-start',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const beforeImport = performance.now();
const { handler } = (await import(pathToFileURL(bundle).href)) as {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode?: number } | undefined>;
};
const imported = performance.now();
const result = await handler(event, context);
const invoked = performance.now();

process.stdout.write(
  `${JSON.stringify({
    statusCode: result?.statusCode,
    importMillis: imported - beforeImport,
    invokeMillis: invoked - imported,
    totalMillis: invoked - beforeImport,
    // performance.now() counts from the process's time origin, i.e. its start.
    sinceProcessStartMillis: invoked,
  })}\n`,
);
// SDK clients keep their connections alive; a Lambda sandbox would be frozen here.
process.exit(0);
