/** `npm run bench:bulk-import`: the bulk import bench alone (it is also part of `npm run bench`). */
import { writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClientFor } from '../functions/adapters/dynamodb';
import { createS3Client } from '../functions/adapters/s3';
import { createSqsClient } from '../functions/adapters/task-queue';
import { localCredentials, localRegion } from '../local/emulators/local-aws';
import { benchBulkImport } from './bulk-import';
import { startCloudProcess } from './cloud-process';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const rows = Number(process.argv[2] ?? 20_000);
const cloud = await startCloudProcess();
try {
  const config = { region: localRegion, credentials: localCredentials };
  const dynamodb = new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb });
  const clients = {
    dynamodb,
    db: documentClientFor(dynamodb),
    sqs: createSqsClient({ ...config, endpoint: cloud.endpoints.sqs }),
    s3: createS3Client({ ...config, endpoint: cloud.endpoints.sqs, forcePathStyle: true }),
  };
  process.stdout.write(`Bulk import of ${rows} rows vs raw TransactWriteItems of the same items:\n`);
  const result = await benchBulkImport(clients, cloud.env, { rows }, (line) =>
    process.stdout.write(`${line}\n`),
  );
  process.stdout.write(
    `  best: ${result.best.workers} worker(s), ratio ${result.best.ratio.toFixed(2)} (target ≥ 0.8)\n`,
  );
  writeFileSync(
    new URL('./bulk-import.json', import.meta.url),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: `${process.platform} ${process.arch}, Node ${process.version}`, ...result }, null, 2)}\n`,
  );
  dynamodb.destroy();
} finally {
  await cloud.stop();
}
