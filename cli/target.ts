import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { createSqsClient } from '../functions/adapters/task-queue';
import {
  defaultStackName,
  managerUserPoolIdEnvVar,
  stackOutputVariables,
} from '../functions/resources/stack-outputs';
import { localUserPoolId } from '../local/identity/cognito-admin-api';
import { readLocalState } from '../local/state';
import { UsageError } from './errors';
import { readStackEnv } from './stack-env';

export interface Target {
  /** `local` (the stack `npm start` runs) or `aws` (the account the standard AWS variables point to). */
  readonly name: 'local' | 'aws';
  /** The environment the functions would see: table names, queue URLs, the exports bucket, the user pool. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly documentClient: () => DynamoDBDocumentClient;
  readonly sqsClient: () => SQSClient;
  /** The staff accounts: Cognito's user pool, or the local identity provider, which speaks its API. */
  readonly userPool: () => { readonly client: CognitoIdentityProviderClient; readonly userPoolId: string };
}

export interface TargetOptions {
  /** The CloudFormation stack to read (`--stack NAME`): implies AWS. */
  readonly stack?: string;
}

/** The AWS target of this run, once its stack's outputs are read by `prepareTarget`. */
let awsTarget: Target | undefined;

const isAws = (options: TargetOptions) =>
  options.stack !== undefined || process.env.CLOSELOOP_TARGET === 'aws';

/**
 * Makes ready the target a command works against; the CLI calls it once before any command. Against
 * AWS (`CLOSELOOP_TARGET=aws` or `--stack NAME`) it reads the stack's outputs (default stack
 * `Closeloop`) into the variables the functions use; variables set in the environment win over them
 * (with all of them set and no `--stack`, the stack is not read).
 */
export const prepareTarget = async (
  options: TargetOptions = {},
  cloudFormation?: CloudFormationClient,
): Promise<void> => {
  awsTarget = undefined;
  if (!isAws(options)) return;
  const explicit = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined));
  // Every variable given by hand (as before the stack was read): nothing to ask CloudFormation.
  const given = stackOutputVariables.every(({ envVar }) => explicit[envVar] !== undefined);
  const fromStack =
    given && options.stack === undefined
      ? {}
      : await readStackEnv(options.stack ?? defaultStackName, cloudFormation);
  const env: Record<string, string | undefined> = { ...fromStack, ...explicit };
  awsTarget = {
    name: 'aws',
    env,
    documentClient: () => createDocumentClient(),
    sqsClient: () => createSqsClient({}),
    userPool: () => {
      const userPoolId = env[managerUserPoolIdEnvVar];
      if (userPoolId === undefined || userPoolId === '')
        throw new UsageError(
          `${managerUserPoolIdEnvVar} is not set: give it the stack output ManagerUserPoolId (the staff user pool)`,
        );
      return { client: new CognitoIdentityProviderClient({}), userPoolId };
    },
  };
};

/**
 * Where a command works. By default the local stack, described by `.closeloop/local.json`; against
 * AWS, the target `prepareTarget` read from the stack, with credentials from the standard chain.
 */
export const resolveTarget = (): Target => {
  if (awsTarget !== undefined) return awsTarget;
  if (process.env.CLOSELOOP_TARGET === 'aws')
    throw new Error('the AWS target is read from the stack before a command runs: call prepareTarget first');
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
