import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createCustomerRepository } from '../../functions/adapters/customer-repository';
import { createDocumentClient } from '../../functions/adapters/dynamodb';
import { createS3Client } from '../../functions/adapters/s3';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { createSqsClient } from '../../functions/adapters/task-queue';
import { registryTables } from '../../functions/shared/config';
import { scheduleDeps } from '../../functions/wiring/tick';
import { startDynamoDbLocal } from '../../local/emulators/dynamodb-local';
import { freePort } from '../../local/emulators/ports';
import { provisionBuckets, provisionQueues, provisionTables } from '../../local/provision';
import { createQueueConsumers } from '../../local/runtime';
import { type LocalState, readLocalState } from '../../local/state';
import { localEnv, uniquePrefix } from './local-stack';

/**
 * Tables and queues of their own, in the shared emulators, for one test file: its ticks and queue
 * consumers then see only its own customers. Sets `process.env` like the local runtime does (the
 * handlers read it when first loaded), so call it before anything loads a handler.
 *
 * With `ownDynamoDb`, the file gets a DynamoDB Local of its own, stopped with the stack: DynamoDB
 * Local slows down with every stream record it ever held (1,250 puts/s fresh, 50/s after 30,000
 * records, deleted tables included), so the heavy files keep theirs away from everyone else.
 * `settings` may then be a function of that instance's endpoint (to put a proxy in front of it).
 */
export const startIsolatedStack = async (
  label: string,
  settings:
    | Record<string, string>
    | ((endpoints: { dynamodb: string }) => Promise<Record<string, string>>) = {},
  { ownDynamoDb = false }: { ownDynamoDb?: boolean } = {},
) => {
  const ownDynamoDbInstance = ownDynamoDb ? await startDynamoDbLocal({ port: await freePort() }) : undefined;
  const base: Record<string, string | undefined> = {
    ...localEnv(),
    ...(ownDynamoDbInstance && { AWS_ENDPOINT_URL_DYNAMODB: ownDynamoDbInstance.endpoint }),
  };
  const namespace = uniquePrefix(label);
  const cliStateFile = join(tmpdir(), `${namespace}-state.json`);
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
    // Automatic answers are held 3 s rather than a minute, so browser tests see them counted quickly.
    ANSWER_HOLD_SECONDS: '3',
    // A case's coalesced update e-mail waits 1 s rather than 15 minutes, so that a drain sees it go.
    CASE_UPDATE_MAIL_SECONDS: '1',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    ...(typeof settings === 'function'
      ? await settings({ dynamodb: base.AWS_ENDPOINT_URL_DYNAMODB ?? '' })
      : settings),
  };
  Object.assign(process.env, env);
  const db = createDocumentClient();
  const tables = registryTables(env);
  const consumers = createQueueConsumers(env);
  return {
    namespace,
    env,
    db,
    sqs,
    customers: createCustomerRepository(db, tables),
    stores: createStoreRepository(db, tables.stores),
    schedule: scheduleDeps(db, sqs, env),
    consumers,
    /** Where the file's DynamoDB Local listens (not through any proxy `settings` put in front). */
    dynamodbEndpoint: base.AWS_ENDPOINT_URL_DYNAMODB ?? '',
    /**
     * Writes a local-stack description of these tables (on this file's DynamoDB Local) for the CLI run
     * as a user would (`runCli(args, { stateFile })`), and returns its path; removed by `stop`.
     */
    writeCliState(overrides: Partial<LocalState> = {}) {
      writeFileSync(
        cliStateFile,
        JSON.stringify({
          ...readLocalState(inject('localStateFile')),
          env,
          dynamodbEndpoint: base.AWS_ENDPOINT_URL_DYNAMODB,
          pid: process.pid,
          ...overrides,
        }),
      );
      return cliStateFile;
    },
    /** Stops the consumers, and the file's own DynamoDB Local if it has one. */
    async stop() {
      await consumers.stop();
      await ownDynamoDbInstance?.stop();
      rmSync(cliStateFile, { force: true });
    },
  };
};

export type IsolatedStack = Awaited<ReturnType<typeof startIsolatedStack>>;
