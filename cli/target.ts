import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { createSqsClient } from '../functions/adapters/task-queue';
import { readLocalState } from '../local/state';

export interface Target {
  /** `local` (the stack `npm start` runs) or `aws` (the account the standard AWS variables point to). */
  readonly name: 'local' | 'aws';
  /** The environment the functions would see: table names and queue URLs. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly documentClient: () => DynamoDBDocumentClient;
  readonly sqsClient: () => SQSClient;
}

/**
 * Resolves where a command works. By default the local stack, described by `.closeloop/local.json`;
 * with `CLOSELOOP_TARGET=aws`, AWS itself, with table names from the same variables the Lambda
 * functions get (the stack prints them as outputs) and credentials from the standard chain.
 */
export const resolveTarget = (): Target => {
  if (process.env.CLOSELOOP_TARGET === 'aws') {
    return {
      name: 'aws',
      env: process.env,
      documentClient: () => createDocumentClient(),
      sqsClient: () => createSqsClient({}),
    };
  }
  const state = readLocalState();
  const local = {
    region: state.region,
    credentials: {
      accessKeyId: state.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: state.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  };
  return {
    name: 'local',
    env: state.env,
    documentClient: () => createDocumentClient({ ...local, endpoint: state.dynamodbEndpoint }),
    sqsClient: () => createSqsClient({ ...local, endpoint: state.sqsEndpoint }),
  };
};
