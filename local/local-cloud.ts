import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createS3Client } from '../functions/adapters/s3';
import { startDynamoDbLocal } from './emulators/dynamodb-local';
import { localCredentials, localRegion } from './emulators/local-aws';
import { freePort, type RunningEmulator } from './emulators/ports';
import { startSesEmulator } from './emulators/ses-local';
import { startSqsEmulator } from './emulators/sqs-fauxqs';
import { StaffAccounts } from './identity/accounts';
import { IntegrationClients } from './identity/integration-clients';
import { type IdentityProvider, startIdentityProvider } from './identity/provider';
import { createStaffMail } from './identity/staff-mail';

/** Who the local identity provider's e-mails come from. */
export const staffMailSender = 'Closeloop Demo Stores <staff@closeloop.example>';

import { provisionBuckets, provisionQueues, provisionTables } from './provision';

export interface LocalCloudOptions {
  /** Keep DynamoDB data, staff accounts and the provider's keys in this directory; in memory when absent. */
  readonly dataDir?: string;
  readonly ports?: Partial<Record<'dynamodb' | 'sqs' | 'ses' | 'identity', number>>;
}

export interface LocalCloud {
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  /** The OpenID Connect provider the staff sign in with (Cognito's stand-in) and its accounts. */
  readonly identity: IdentityProvider;
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
  const started: Pick<RunningEmulator, 'stop'>[] = [];
  const stop = async () => {
    await Promise.allSettled(started.splice(0).map((emulator) => emulator.stop()));
  };
  try {
    const track = async <Started extends Pick<RunningEmulator, 'stop'>>(starting: Promise<Started>) => {
      const emulator = await starting;
      started.push(emulator);
      return emulator;
    };
    const portFor = async (name: keyof NonNullable<LocalCloudOptions['ports']>) => ports[name] ?? freePort();
    const startingSes = track(portFor('ses').then((port) => startSesEmulator({ port })));
    const [dynamodb, sqs, ses, identity] = await Promise.all([
      track(portFor('dynamodb').then((port) => startDynamoDbLocal({ port, dataDir }))),
      track(portFor('sqs').then((port) => startSqsEmulator({ port }))),
      startingSes,
      // Its invitations and verification codes go through the SES emulator, as Cognito mails its own.
      track(
        Promise.all([startingSes, portFor('identity')]).then(([ses, port]) =>
          startIdentityProvider({
            accounts: new StaffAccounts(
              dataDir === undefined ? undefined : join(dataDir, 'staff-accounts.json'),
            ),
            integrationClients: new IntegrationClients(
              dataDir === undefined ? undefined : join(dataDir, 'integration-clients.json'),
            ),
            mail: createStaffMail(
              new SESv2Client({ region: localRegion, credentials: localCredentials, endpoint: ses.endpoint }),
              {
                from: staffMailSender,
                // The API starts after the cloud; the managers' page is where staff sign in.
                signInUrl: () => `${process.env.PUBLIC_API_URL ?? 'http://127.0.0.1:3000'}/m`,
              },
            ),
            dataDir,
            port,
          }),
        ),
      ),
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
        identity,
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
          // Locally (the demo, the tests driving a simulated clock) mail may go at any hour; a store's
          // own window (its `sendWindow` column) still applies. Set SEND_WINDOW to try the chain's.
          SEND_WINDOW: process.env.SEND_WINDOW ?? 'Mon-Sun 00:00-24:00',
          // The staff pages sign in with the local provider; the API verifies its tokens (JWT authorizer).
          OIDC_ISSUER_URL: identity.issuerUrl,
          OIDC_CLIENT_ID: identity.clientId,
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
