import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../cli/program';
import { envFromOutputs, readStackEnv } from '../../../cli/stack-env';
import { prepareTarget, resolveTarget } from '../../../cli/target';
import type { Terminal } from '../../../cli/terminal';
import { exportsBucketEnvVar, queues } from '../../../functions/resources/queues';
import { managerUserPoolIdEnvVar, stackOutputVariables } from '../../../functions/resources/stack-outputs';
import { tables } from '../../../functions/resources/tables';
import { LocalStackNotRunningError } from '../../../local/state';

const cloudFormation = mockClient(CloudFormationClient);
const dynamodb = mockClient(DynamoDBDocumentClient);

/** The outputs a deployed stack has: every one the CLI reads (value `value:KEY`), and others. */
const deployedOutputs: Output[] = [
  ...stackOutputVariables.map(({ outputKey, envVar }) => ({
    OutputKey: outputKey,
    OutputValue: `value:${outputKey}`,
    Description: envVar,
  })),
  { OutputKey: 'ApiUrl', OutputValue: 'https://abc.execute-api.eu-west-1.amazonaws.com' },
];

const stackWith = (outputs: Output[]) => ({
  Stacks: [
    {
      StackName: 'Closeloop',
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: outputs,
    },
  ],
});

const thrown = (name: string, message: string) => Object.assign(new Error(message), { name });

beforeEach(() => {
  cloudFormation.reset();
  dynamodb.reset();
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('CLOSELOOP_STATE_FILE', join('/nonexistent', 'local.json'));
  for (const { envVar } of stackOutputVariables) vi.stubEnv(envVar, undefined);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await prepareTarget();
});

describe('envFromOutputs', () => {
  it('maps every table, queue, dead-letter queue, the exports bucket and the user pool to its variable', () => {
    const env = envFromOutputs(deployedOutputs);
    expect(Object.keys(env).sort()).toEqual(
      [
        ...tables.map((table) => table.envVar),
        ...queues.flatMap((queue) => [queue.envVar, queue.deadLetterEnvVar]),
        exportsBucketEnvVar,
        managerUserPoolIdEnvVar,
      ].sort(),
    );
    expect(env.STORES_TABLE).toBe('value:StoresTableName');
    expect(env.INVITATIONS_QUEUE_URL).toBe('value:InvitationsQueueUrl');
    expect(env.INVITATIONS_DLQ_URL).toBe('value:InvitationsDeadLetterQueueUrl');
    expect(env.EXPORTS_BUCKET).toBe('value:ExportsBucketName');
    expect(env.MANAGER_USER_POOL_ID).toBe('value:ManagerUserPoolId');
  });

  it('leaves out outputs it does not know and outputs without a value', () => {
    expect(
      envFromOutputs([
        { OutputKey: 'ApiUrl', OutputValue: 'https://x' },
        { OutputKey: 'StoresTableName' },
        { OutputKey: 'CasesTableName', OutputValue: 'cases-1' },
      ]),
    ).toEqual({ CASES_TABLE: 'cases-1' });
  });
});

describe('readStackEnv', () => {
  it('describes the named stack and returns its outputs as variables', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(deployedOutputs));
    const env = await readStackEnv('Shop-Closeloop', new CloudFormationClient({}));
    expect(env.CASES_TABLE).toBe('value:CasesTableName');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'Shop-Closeloop',
    });
  });

  it.each([
    [
      'a stack that does not exist',
      thrown('ValidationError', 'Stack with id Nope does not exist'),
      /^the stack Nope was not found in eu-west-1: deploy it with `npx cdk deploy`, name another with --stack NAME/,
    ],
    [
      'missing credentials',
      thrown('CredentialsProviderError', 'Could not load credentials from any providers'),
      /^no valid AWS credentials to read the stack Nope in eu-west-1 \(Could not load credentials from any providers\): set AWS_PROFILE/,
    ],
    [
      'expired credentials',
      thrown('ExpiredTokenException', 'The security token included in the request is expired'),
      /^no valid AWS credentials to read the stack Nope/,
    ],
  ])('says what to do about %s', async (_what, error, message) => {
    cloudFormation.on(DescribeStacksCommand).rejects(error);
    await expect(readStackEnv('Nope', new CloudFormationClient({}))).rejects.toThrow(message);
  });

  it('passes on any other failure, naming the stack', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(thrown('Throttling', 'Rate exceeded'));
    await expect(readStackEnv('Closeloop', new CloudFormationClient({}))).rejects.toThrow(
      'could not read the stack Closeloop in eu-west-1: Rate exceeded',
    );
  });
});

describe('prepareTarget and resolveTarget', () => {
  it('with CLOSELOOP_TARGET=aws reads the default stack, and variables set by hand win', async () => {
    vi.stubEnv('CLOSELOOP_TARGET', 'aws');
    vi.stubEnv('STORES_TABLE', 'stores-by-hand');
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(deployedOutputs));
    await prepareTarget();
    const target = resolveTarget();
    expect(target.name).toBe('aws');
    expect(target.env.STORES_TABLE).toBe('stores-by-hand');
    expect(target.env.CUSTOMERS_TABLE).toBe('value:CustomersTableName');
    expect(target.env.MANAGER_USER_POOL_ID).toBe('value:ManagerUserPoolId');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'Closeloop',
    });
  });

  it('with --stack reads that stack, without CLOSELOOP_TARGET', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(deployedOutputs));
    await prepareTarget({ stack: 'Staging' });
    expect(resolveTarget().name).toBe('aws');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)[0]?.args[0].input).toEqual({
      StackName: 'Staging',
    });
  });

  it('does not read the stack when every variable is set by hand', async () => {
    vi.stubEnv('CLOSELOOP_TARGET', 'aws');
    for (const { envVar } of stackOutputVariables) vi.stubEnv(envVar, `${envVar}-by-hand`);
    await prepareTarget();
    expect(resolveTarget().env.CASES_TABLE).toBe('CASES_TABLE-by-hand');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('leaves the local target alone: no CloudFormation, the local stack’s description', async () => {
    await prepareTarget();
    expect(() => resolveTarget()).toThrow(LocalStackNotRunningError);
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it('refuses an AWS target that was not prepared', () => {
    vi.stubEnv('CLOSELOOP_TARGET', 'aws');
    expect(() => resolveTarget()).toThrow(/prepareTarget/);
  });
});

describe('closeloop against AWS', () => {
  const run = async (...args: string[]) => {
    const out = { stdout: '', stderr: '' };
    const terminal: Terminal = {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
    };
    return { code: await runCli(['node', 'closeloop', ...args], terminal), ...out };
  };

  it('works on the tables the stack outputs, with --stack before or after the command', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(deployedOutputs));
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    for (const args of [
      ['--stack', 'Shop', 'followups', '--store', 'S1', '--json'],
      ['followups', '--store', 'S1', '--json', '--stack', 'Shop'],
    ]) {
      expect(await run(...args)).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input)).toEqual([
      { StackName: 'Shop' },
      { StackName: 'Shop' },
    ]);
    for (const call of dynamodb.commandCalls(QueryCommand))
      expect(call.args[0].input.TableName).toBe('value:CasesTableName');
    expect(dynamodb.commandCalls(QueryCommand).length).toBeGreaterThan(0);
  });

  it('says in one line, exit 2, that the stack is not there', async () => {
    vi.stubEnv('CLOSELOOP_TARGET', 'aws');
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(thrown('ValidationError', 'Stack with id Closeloop does not exist'));
    const result = await run('followups');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^closeloop: the stack Closeloop was not found in eu-west-1: .*\n$/),
    });
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('says in one line, exit 2, that there are no credentials', async () => {
    vi.stubEnv('CLOSELOOP_TARGET', 'aws');
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(thrown('CredentialsProviderError', 'Could not load credentials from any providers'));
    const result = await run('report');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^closeloop: no valid AWS credentials to read the stack Closeloop .*\n$/);
  });
});
