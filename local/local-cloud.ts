import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createS3Client } from '../functions/adapters/s3';
import { startDynamoDbLocal } from './emulators/dynamodb-local';
import { localCredentials, localRegion } from './emulators/local-aws';
import { freePort, type RunningEmulator } from './emulators/ports';
import { startSesEmulator } from './emulators/ses-local';
import { startSqsEmulator } from './emulators/sqs-fauxqs';
import { provisionBuckets, provisionQueues, provisionTables } from './provision';

export interface LocalCloudOptions {
  /** Keep DynamoDB data in this directory across restarts; in memory when absent. */
  readonly dataDir?: string;
  readonly ports?: Partial<Record<'dynamodb' | 'sqs' | 'ses', number>>;
}

export interface LocalCloud {
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  readonly region: string;
  /**
   * The environment a function runs with here: table names, queue URLs, region, credentials, and
   * the standard `AWS_ENDPOINT_URL_*` variables that point the SDK at the emulators.
   */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, the SQS and SES emulators on 127.0.0.1, and creates the tables and queues
 * from the same definitions the CDK stack uses. Stops whatever started if any part fails.
 */
export const startLocalCloud = async ({
  dataDir,
  ports = {},
}: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const started: RunningEmulator[] = [];
  const stop = async () => {
    await Promise.allSettled(started.splice(0).map((emulator) => emulator.stop()));
  };
  try {
    const track = async (starting: Promise<RunningEmulator>) => {
      const emulator = await starting;
      started.push(emulator);
      return emulator;
    };
    const portFor = async (name: keyof NonNullable<LocalCloudOptions['ports']>) => ports[name] ?? freePort();
    const [dynamodb, sqs, ses] = await Promise.all([
      track(portFor('dynamodb').then((port) => startDynamoDbLocal({ port, dataDir }))),
      track(portFor('sqs').then((port) => startSqsEmulator({ port }))),
      track(portFor('ses').then((port) => startSesEmulator({ port }))),
    ]);
    const clientConfig = { region: localRegion, credentials: localCredentials };
    const dynamodbClient = new DynamoDBClient({ ...clientConfig, endpoint: dynamodb.endpoint });
    const sqsClient = new SQSClient({ ...clientConfig, endpoint: sqs.endpoint });
    try {
      const s3Client = createS3Client({ ...clientConfig, endpoint: sqs.endpoint, forcePathStyle: true });
      const [tableEnv, queueEnv, bucketEnv] = await Promise.all([
        provisionTables(dynamodbClient),
        provisionQueues(sqsClient),
        provisionBuckets(s3Client).finally(() => s3Client.destroy()),
      ]);
      return {
        endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint, ses: ses.endpoint },
        region: localRegion,
        env: {
          ...tableEnv,
          ...queueEnv,
          ...bucketEnv,
          AWS_REGION: localRegion,
          AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
          AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
          AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodb.endpoint,
          AWS_ENDPOINT_URL_SQS: sqs.endpoint,
          // fauxqs also emulates S3 (the exports bucket), on the same port.
          AWS_ENDPOINT_URL_S3: sqs.endpoint,
          AWS_ENDPOINT_URL_SESV2: ses.endpoint,
          POWERTOOLS_SERVICE_NAME: 'closeloop',
          POWERTOOLS_DEV: 'true',
          POWERTOOLS_LOG_LEVEL: 'WARN',
          BRAND_NAME: 'Closeloop Demo Stores',
          SENDER_ADDRESS: 'Closeloop Demo Stores <surveys@closeloop.example>',
          // Locally a failed send is retried after 1 s, 2 s, 4 s… rather than 30 s, 60 s…
          RETRY_BASE_SECONDS: '1',
          // Locally a case's owner gets one update e-mail a minute at most, rather than one per 15 minutes.
          CASE_UPDATE_MAIL_SECONDS: '60',
          // Signs the development tokens of the manager API (`npx closeloop dev-token`), new each run.
          LOCAL_AUTH_SECRET: randomBytes(32).toString('base64url'),
        },
        stop,
      };
    } finally {
      dynamodbClient.destroy();
      sqsClient.destroy();
    }
  } catch (error) {
    await stop();
    throw error;
  }
};
