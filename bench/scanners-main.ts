import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createSqsClient } from '../functions/adapters/task-queue';
import { localCredentials, localRegion } from '../local/emulators/local-aws';
import { provisionQueues, provisionTables } from '../local/provision';
import { describeFigures } from '../test/support/scanner-harness';
import { runScannersBench, startCloudProcess } from './cloud-process';

/**
 * `npm run bench:scanners`: the scanner harness alone, at benchmark scale and with the default hold
 * (what `npm run bench` also runs); writes `bench/scanners.json`.
 */
export const measureScanners = async (cloud: Awaited<ReturnType<typeof startCloudProcess>>) => {
  const config = { region: localRegion, credentials: localCredentials };
  const dynamodb = new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb });
  const sqs = createSqsClient({ ...config, endpoint: cloud.endpoints.sqs });
  const env = {
    ...cloud.env,
    ...(await provisionTables(dynamodb, 'benchScanners')),
    ...(await provisionQueues(sqs, 'benchScanners')),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    RETRY_BASE_SECONDS: '1',
  };
  return runScannersBench(env, { scannersPerKind: 3, peoplePerKind: 25 });
};

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const cloud = await startCloudProcess();
  try {
    const figures = await measureScanners(cloud);
    process.stdout.write(`${describeFigures(figures).join('\n')}\n`);
    writeFileSync(new URL('./scanners.json', import.meta.url), `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await cloud.stop();
  }
}
