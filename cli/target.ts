import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { createSqsClient } from '../functions/adapters/task-queue';
import { localUserPoolId } from '../local/identity/cognito-admin-api';
import { readLocalState } from '../local/state';
import { UsageError } from './errors';

export interface Target {
  /** `local` (the stack `npm start` runs) or `aws` (the account the standard AWS variables point to). */
  readonly name: 'local' | 'aws';
  /** The environment the functions would see: table names and queue URLs. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly documentClient: () => DynamoDBDocumentClient;
  readonly sqsClient: () => SQSClient;
  /** The staff accounts: Cognito's user pool, or the local identity provider, which speaks its API. */
  readonly userPool: () => { readonly client: CognitoIdentityProviderClient; readonly userPoolId: string };
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
      userPool: () => {
        const userPoolId = process.env.MANAGER_USER_POOL_ID;
        if (userPoolId === undefined || userPoolId === '')
          throw new UsageError(
            'MANAGER_USER_POOL_ID is not set: give it the stack output ManagerUserPoolId (the staff user pool)',
          );
        return { client: new CognitoIdentityProviderClient({}), userPoolId };
      },
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
    userPool: () => {
      if (state.issuerUrl === undefined)
        throw new UsageError('the local stack runs no identity provider: restart it with `npm start`');
      return {
        client: new CognitoIdentityProviderClient({ ...local, endpoint: new URL(state.issuerUrl).origin }),
        userPoolId: localUserPoolId,
      };
    },
  };
};
