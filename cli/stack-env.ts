import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { stackOutputVariables } from '../functions/resources/stack-outputs';
import { UsageError } from './errors';

/**
 * The environment the functions see, from a deployed stack's outputs: each output of
 * `stackOutputVariables` under its variable (outputs the list does not name are left out).
 */
export const envFromOutputs = (outputs: readonly Output[]): Record<string, string> => {
  const byKey = new Map(outputs.map((output) => [output.OutputKey, output.OutputValue]));
  const env: Record<string, string> = {};
  for (const { outputKey, envVar } of stackOutputVariables) {
    const value = byKey.get(outputKey);
    if (value !== undefined && value !== '') env[envVar] = value;
  }
  return env;
};

const credentialErrors = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
]);

/** Why the stack could not be read, as the person at the terminal can act on it. */
const explain = (error: Error, stackName: string, region: string | undefined): Error => {
  const where = region ? ` in ${region}` : '';
  if (error.message === 'Region is missing')
    return new UsageError(
      'no AWS region: set AWS_REGION (or a region in your AWS profile) to the region the stack is deployed in',
    );
  if (credentialErrors.has(error.name))
    return new UsageError(
      `no valid AWS credentials to read the stack ${stackName}${where} (${error.message.split('\n')[0]}): ` +
        'set AWS_PROFILE or sign in (aws sso login), or unset CLOSELOOP_TARGET to use the local stack',
    );
  if (error.name === 'ValidationError' && /does not exist/.test(error.message))
    return new UsageError(
      `the stack ${stackName} was not found${where}: deploy it with \`npx cdk deploy\`, name another with ` +
        '--stack NAME, or set AWS_REGION to the region it is deployed in',
    );
  return new Error(`could not read the stack ${stackName}${where}: ${error.message}`);
};

/**
 * Reads a deployed stack's outputs into the functions' variables (`DescribeStacks`, with the standard
 * credentials and region). A missing stack, region or credentials is a usage error that says what to do.
 */
export const readStackEnv = async (
  stackName: string,
  client: CloudFormationClient = new CloudFormationClient({}),
): Promise<Record<string, string>> => {
  let region: string | undefined;
  try {
    region = await client.config.region();
  } catch {
    region = undefined;
  }
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const [stack] = Stacks ?? [];
    if (stack === undefined) throw Object.assign(new Error('does not exist'), { name: 'ValidationError' });
    return envFromOutputs(stack.Outputs ?? []);
  } catch (error) {
    throw explain(error as Error, stackName, region);
  }
};
