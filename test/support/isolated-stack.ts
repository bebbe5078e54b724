import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCustomerRepository } from '../../functions/adapters/customer-repository';
import { createDocumentClient } from '../../functions/adapters/dynamodb';
import { createS3Client } from '../../functions/adapters/export-files';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { createSqsClient } from '../../functions/adapters/task-queue';
import { registryTables } from '../../functions/shared/config';
import { scheduleDeps } from '../../functions/shared/dependencies';
import { provisionBuckets, provisionQueues, provisionTables } from '../../local/provision';
import { createQueueConsumers } from '../../local/runtime';
import { localEnv, uniquePrefix } from './local-stack';

/**
 * Tables and queues of their own, in the shared emulators, for one test file: its ticks and queue
 * consumers then see only its own customers. Sets `process.env` like the local runtime does (the
 * handlers read it when first loaded), so call it before anything loads a handler.
 */
export const startIsolatedStack = async (label: string, settings: Record<string, string> = {}) => {
  const base = localEnv();
  const namespace = uniquePrefix(label);
  const clientConfig = {
    region: base.AWS_REGION,
    credentials: {
      accessKeyId: base.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: base.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
  const dynamodb = new DynamoDBClient({ ...clientConfig, endpoint: base.AWS_ENDPOINT_URL_DYNAMODB });
  const sqs = createSqsClient({ ...clientConfig, endpoint: base.AWS_ENDPOINT_URL_SQS });
  const s3 = createS3Client({ ...clientConfig, endpoint: base.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  const [tableEnv, queueEnv, bucketEnv] = await Promise.all([
    provisionTables(dynamodb, namespace),
    provisionQueues(sqs, namespace),
    provisionBuckets(s3, namespace),
  ]);
  dynamodb.destroy();
  s3.destroy();
  const env: Record<string, string> = {
    ...base,
    ...tableEnv,
    ...queueEnv,
    ...bucketEnv,
    PUBLIC_API_URL: 'https://surveys.example.test',
    RETRY_BASE_SECONDS: '0',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    ...settings,
  };
  Object.assign(process.env, env);
  const db = createDocumentClient();
  const tables = registryTables(env);
  return {
    namespace,
    env,
    db,
    sqs,
    customers: createCustomerRepository(db, tables),
    stores: createStoreRepository(db, tables.stores),
    schedule: scheduleDeps(db, sqs, env),
    consumers: createQueueConsumers(env),
  };
};

export type IsolatedStack = Awaited<ReturnType<typeof startIsolatedStack>>;
