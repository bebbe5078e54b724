import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import {
  DEFAULT_HOLD_SECONDS,
  EARLY_CLICK_SECONDS,
  EARLY_HOLD_FACTOR,
} from '../functions/domain/answer-trust';
import { routeThrottles } from '../functions/resources/routes';
import { useLogger } from '../functions/shared/powertools';
import { startApiServer } from './api-server';
import { ConsoleLineLogger, configureConsoleLog } from './console-log';
import { demoStaffPassword, seedDemoStaff } from './demo-staff';
import { JavaMissingError } from './emulators/dynamodb-local';
import { startLocalCloud } from './local-cloud';
import { createQueueConsumers, startSchedules } from './runtime';
import { seedDemoData } from './seed';
import { defaultStatePath, removeLocalState, writeLocalState } from './state';
import { fileCheckpoints } from './stream-poller';

const usage = `Usage: npm start -- [options]

Runs closeloop on this machine: DynamoDB Local, the SQS and SES emulators, the staff sign-in
provider (OpenID Connect) and the HTTP API,
with demo data. Stop with Ctrl-C.

Options:
  --data-dir DIR     keep DynamoDB data, staff accounts and sign-in keys in DIR across restarts
                     (default: fresh, in memory)
  --port N           port of the local API (default: 3000, or a free one if taken)
  --customers N      demo customers to seed (default: 500; 0 seeds nothing)
  --no-history       seed no past surveys and answers (default: half a year of them)
  --throttle         limit each route's requests as the deployed API does (429 above them)
  --verbose          log debug lines (expected retries) and every error's stack
  -h, --help         show this help`;

const { values: options } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    customers: { type: 'string', default: '500' },
    'no-history': { type: 'boolean', default: false },
    throttle: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});

if (options.help) {
  console.log(usage);
  process.exit(0);
}

const demoCustomers = Number(options.customers);
if (!Number.isInteger(demoCustomers) || demoCustomers < 0) {
  console.error(`--customers must be a whole number, got "${options.customers}"\n\n${usage}`);
  process.exit(2);
}

const requestedPort = options.port === undefined ? 3000 : Number(options.port);
if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) {
  console.error(`--port must be a TCP port number, got "${options.port}"\n\n${usage}`);
  process.exit(2);
}

// One readable line per event on this console; the functions in AWS log structured JSON.
configureConsoleLog({ verbose: options.verbose === true });
useLogger(new ConsoleLineLogger({ serviceName: 'closeloop' }));

const started = Date.now();
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
try {
  cloud = await startLocalCloud({ dataDir: options['data-dir'] });
} catch (error) {
  console.error(error instanceof JavaMissingError ? error.message : error);
  process.exit(1);
}
Object.assign(process.env, cloud.env);

let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
let consumers: ReturnType<typeof createQueueConsumers> | undefined;
let schedules: ReturnType<typeof startSchedules> | undefined;
let stopping = false;
const shutdown = async (reason: string, exitCode = 0) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: stopping the local stack…`);
  removeLocalState();
  schedules?.stop();
  await consumers?.stop();
  await Promise.allSettled([api?.stop(), cloud.stop()]);
  process.exit(exitCode);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => void shutdown(signal));

let seeded: Awaited<ReturnType<typeof seedDemoData>> | undefined;
let demoStaff: Awaited<ReturnType<typeof seedDemoStaff>> | undefined;
try {
  // Port 3000 by default; if it is taken and no port was asked for, any free port.
  const throttle = options.throttle ? routeThrottles : undefined;
  api = await startApiServer({ port: requestedPort, throttle }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' || options.port !== undefined) throw error;
    return startApiServer({ port: 0, throttle });
  });
  // Survey links point at this API; handlers read their settings when first loaded, after this.
  process.env.PUBLIC_API_URL = api.url;
  if (demoCustomers > 0) {
    seeded = await seedDemoData(createDocumentClient(), cloud.env, {
      customers: demoCustomers,
      withHistory: !options['no-history'],
    });
    demoStaff = await seedDemoStaff(createDocumentClient(), cloud.env, cloud.identity.issuerUrl);
  }
  const dataDir = options['data-dir'];
  consumers = createQueueConsumers(cloud.env, {
    ...(dataDir && { checkpoints: fileCheckpoints(join(dataDir, 'stream-checkpoints.json')) }),
  });
  consumers.start();
  // EventBridge runs the scheduled functions in AWS; locally their manifests' faster clock.
  schedules = startSchedules();
  await schedules.firstRuns;
} catch (error) {
  console.error('closeloop could not start:', error instanceof Error ? error.message : error);
  await shutdown('error', 1);
}
if (api === undefined) throw new Error('unreachable: the API server did not start');

const state = {
  apiUrl: api.url,
  mailUrl: `${cloud.endpoints.ses}/`,
  dashboardUrl: `${api.url}/d`,
  managersUrl: `${api.url}/m`,
  issuerUrl: cloud.identity.issuerUrl,
  clientId: cloud.identity.clientId,
  dynamodbEndpoint: cloud.endpoints.dynamodb,
  sqsEndpoint: cloud.endpoints.sqs,
  sesEndpoint: cloud.endpoints.ses,
  region: cloud.region,
  env: { ...cloud.env, PUBLIC_API_URL: api.url },
  pid: process.pid,
  startedAt: new Date().toISOString(),
};
writeLocalState(state);

const holdSeconds = Number(cloud.env.ANSWER_HOLD_SECONDS ?? DEFAULT_HOLD_SECONDS);
console.log(`
closeloop is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API            ${state.apiUrl}   (try ${state.apiUrl}/health)
  Mail viewer    ${state.mailUrl}
  Dashboard      ${state.dashboardUrl}
  Managers       ${state.managersUrl}
  Staff sign-in  ${state.issuerUrl}   (the local OpenID provider, Cognito's stand-in: see README, Staff sign-in)
  DynamoDB       ${state.dynamodbEndpoint}${options['data-dir'] ? `   (data kept in ${options['data-dir']})` : '   (in memory)'}
  SQS            ${state.sqsEndpoint}
  SES            ${state.sesEndpoint}
${seeded ? `\n  Demo data      ${seeded.stores.created + seeded.stores.updated} stores, ${seeded.customers.created + seeded.customers.updated + seeded.customers.unchanged} customers${seeded.history ? `; ${seeded.history.sent} past surveys, ${seeded.history.answered} answered (counted within seconds)` : ''}` : ''}
  Written to     ${defaultStatePath()}
${demoStaff ? `\n  Sign in as     ${demoStaff.marketer} (dashboard)${demoStaff.manager ? ` or ${demoStaff.manager} (managers' page)` : ''}, password ${demoStaffPassword}\n                 (every demo manager's invitation is in the mail viewer; add staff with npx closeloop staff add)\n` : `\n  Staff          npx closeloop staff add --email you@example.com --role marketing --password '…'\n                 then npx closeloop staff sync after importing stores (see README, Staff accounts)\n`}
${
  seeded
    ? `Demo customers are due for their first survey over the next four weeks. To send the first wave now:
  npx closeloop tick --now ${new Date(Date.now() + 7 * 86_400_000).toISOString()}
then open the mail viewer.`
    : `No demo data. Import your own, then send the surveys that are due:
  npx closeloop import-stores stores.csv && npx closeloop import-customers customers.csv
  npx closeloop tick --now ${new Date(Date.now() + 28 * 86_400_000).toISOString()}`
}
A score clicked in a mail counts at once when you touch the page or press Send; left untouched, it is
held ${holdSeconds} s (${holdSeconds * EARLY_HOLD_FACTOR} s in the first ${EARLY_CLICK_SECONDS / 60} minutes after the sending) to tell you from a link scanner.
More: npx closeloop --help
Press Ctrl-C to stop.${options.verbose ? '' : ' (--verbose for debug lines and stack traces)'}`);
