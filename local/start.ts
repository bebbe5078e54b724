import { parseArgs } from 'node:util';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { startApiServer } from './api-server';
import { JavaMissingError } from './emulators/dynamodb-local';
import { freePort } from './emulators/ports';
import { startLocalCloud } from './local-cloud';
import { seedDemoData } from './seed';
import { defaultStatePath, removeLocalState, writeLocalState } from './state';

const usage = `Usage: npm start -- [options]

Runs closeloop on this machine: DynamoDB Local, the SQS and SES emulators, and the HTTP API,
with demo data. Stop with Ctrl-C.

Options:
  --data-dir DIR     keep DynamoDB data in DIR across restarts (default: fresh, in memory)
  --port N           port of the local API (default: 3000, or a free one if taken)
  --customers N      demo customers to seed (default: 500; 0 seeds nothing)
  -h, --help         show this help`;

const { values: options } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    customers: { type: 'string', default: '500' },
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

const started = Date.now();
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
try {
  cloud = await startLocalCloud({ dataDir: options['data-dir'] });
} catch (error) {
  console.error(error instanceof JavaMissingError ? error.message : error);
  process.exit(1);
}
Object.assign(process.env, cloud.env);

const requestedPort = options.port === undefined ? 3000 : Number(options.port);
const api = await startApiServer({ port: requestedPort }).catch(async () => {
  if (options.port !== undefined) throw new Error(`port ${requestedPort} is already in use`);
  return startApiServer({ port: await freePort() });
});

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack…`);
  removeLocalState();
  await Promise.allSettled([api.stop(), cloud.stop()]);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

const db = createDocumentClient();
const seeded =
  demoCustomers > 0 ? await seedDemoData(db, cloud.env, { customers: demoCustomers }) : undefined;

const state = {
  apiUrl: api.url,
  mailUrl: `${cloud.endpoints.ses}/`,
  dynamodbEndpoint: cloud.endpoints.dynamodb,
  sqsEndpoint: cloud.endpoints.sqs,
  sesEndpoint: cloud.endpoints.ses,
  region: cloud.region,
  env: cloud.env,
  pid: process.pid,
  startedAt: new Date().toISOString(),
};
writeLocalState(state);

console.log(`
closeloop is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API            ${state.apiUrl}   (try ${state.apiUrl}/health)
  Mail viewer    ${state.mailUrl}
  DynamoDB       ${state.dynamodbEndpoint}${options['data-dir'] ? `   (data kept in ${options['data-dir']})` : '   (in memory)'}
  SQS            ${state.sqsEndpoint}
  SES            ${state.sesEndpoint}
${seeded ? `\n  Demo data      ${seeded.stores.created + seeded.stores.updated} stores, ${seeded.customers.created + seeded.customers.updated + seeded.customers.unchanged} customers` : ''}
  Written to     ${defaultStatePath()}

Try: npx closeloop import-customers FILE.csv   (npx closeloop --help for more)
Press Ctrl-C to stop.`);
