import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  environmentOf,
  type FunctionManifest,
  type TableAction,
} from '../../functions/resources/function-manifest';
import { functionManifests, survey } from '../../functions/resources/manifests';
import { deadLetterQueueId, queues } from '../../functions/resources/queues';
import { routes } from '../../functions/resources/routes';
import { tables } from '../../functions/resources/tables';
import { CloseloopStack } from '../../lib/closeloop-stack';

let stack: CloseloopStack;
let template: Template;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new CloseloopStack(app, 'Test', { alarmEmail: 'ops@example.com' });
  template = Template.fromStack(stack);
});

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const tableIdOf = (logical: string) =>
  tables.find((definition) => logicalId(stack.tables.get(definition)) === logical)?.id ??
  `unknown ${logical}`;
const queueIdOf = (logical: string) => {
  for (const definition of queues) {
    const { queue, deadLetter } = stack.queues.get(definition);
    if (logicalId(queue) === logical) return definition.id;
    if (logicalId(deadLetter) === logical) return deadLetterQueueId(definition);
  }
  return `unknown ${logical}`;
};

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The statements of a function's role policy (found by the function's construct id). */
const statementsOf = (manifest: FunctionManifest): Statement[] => {
  const role = stack.functionOf(manifest.handler).fn.role;
  const roleId = stack.getLogicalId(role?.node.defaultChild as CfnElement);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(roleId),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
};

const itemActions = new Set<string>([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'ConditionCheckItem',
] satisfies TableAction[]);

/** `Action on Table` or `Action on Table/index/name`, for every item-level DynamoDB grant. */
const dynamodbGrants = (manifest: FunctionManifest) =>
  statementsOf(manifest)
    .flatMap((statement) => {
      const actions = [statement.Action]
        .flat()
        .filter((action) => itemActions.has(action.replace('dynamodb:', '')));
      const resources = [statement.Resource].flat().map((resource) => {
        const text = JSON.stringify(resource);
        const table = tableIdOf(/"Fn::GetAtt":\["(\w+)","Arn"\]/.exec(text)?.[1] ?? '');
        const index = /\/index\/([\w*]+)/.exec(text)?.[1];
        return index === undefined ? table : `${table}/index/${index}`;
      });
      return actions.flatMap((action) => resources.map((resource) => `${action} on ${resource}`));
    })
    .sort();

const expectedDynamodbGrants = (manifest: FunctionManifest) =>
  manifest.tables
    .flatMap(({ table, actions, indexes = [] }) => [
      ...actions.map((action) => `dynamodb:${action} on ${table.id}`),
      ...indexes.map((index) => `dynamodb:Query on ${table.id}/index/${index}`),
    ])
    .sort();

const sendGrants = (manifest: FunctionManifest) =>
  statementsOf(manifest)
    .filter((statement) => [statement.Action].flat().includes('sqs:SendMessage'))
    .flatMap((statement) =>
      [statement.Resource]
        .flat()
        .map((resource) =>
          queueIdOf(/"Fn::GetAtt":\["(\w+)","Arn"\]/.exec(JSON.stringify(resource))?.[1] ?? ''),
        ),
    )
    .sort();

const expectedSendGrants = (manifest: FunctionManifest) =>
  [
    ...manifest.queues.filter(({ actions }) => actions.includes('SendMessage')).map(({ queue }) => queue.id),
    ...(manifest.trigger.kind === 'stream' ? [deadLetterQueueId(manifest.trigger.onFailure)] : []),
  ].sort();

/** Settings the stack leaves unset here (no reviewUrl given; the others have defaults in the code). */
const settingsWithDefaults = new Set([
  'REVIEW_URL',
  'REMINDER_AFTER_DAYS',
  'SURVEY_TTL_DAYS',
  'RETRY_BASE_SECONDS',
  'SES_RESERVED_PERCENT',
  'CASE_UPDATE_MAIL_SECONDS',
  'IMPORT_CHUNK_BYTES',
]);

describe('function manifests', () => {
  it('declare every handler of the routes, and one function per handler', () => {
    const handlers = functionManifests.map((manifest) => manifest.handler);
    expect(new Set(handlers).size).toBe(handlers.length);
    for (const route of routes) expect(handlers).toContain(route.handler);
    expect([...stack.functions.keys()].sort()).toEqual([...handlers].sort());
  });

  it('name only indexes their tables declare', () => {
    for (const manifest of functionManifests) {
      for (const { table, indexes = [] } of manifest.tables) {
        const declared = table.globalIndexes.map((index) => index.indexName);
        for (const index of indexes) expect(declared, `${manifest.handler}: ${table.id}`).toContain(index);
      }
    }
  });

  it.each(functionManifests.map((manifest) => [manifest.handler, manifest] as const))(
    'give %s exactly the DynamoDB actions, tables and indexes its manifest lists',
    (_handler, manifest) => {
      expect(dynamodbGrants(manifest)).toEqual(expectedDynamodbGrants(manifest));
    },
  );

  it.each(functionManifests.map((manifest) => [manifest.handler, manifest] as const))(
    'let %s send only to the queues its manifest lists (and its stream failures to their dead-letter queue)',
    (_handler, manifest) => {
      expect(sendGrants(manifest)).toEqual(expectedSendGrants(manifest));
    },
  );

  it('give the public survey function GetItem and UpdateItem on Surveys, Query on its reminder links and GetItem on Stores and Customers, nothing more', () => {
    expect(dynamodbGrants(survey)).toEqual([
      // A promoter's name, for the signatures the consent form offers.
      'dynamodb:GetItem on Customers',
      'dynamodb:GetItem on Stores',
      'dynamodb:GetItem on Surveys',
      'dynamodb:Query on Surveys/index/byReminderLink',
      'dynamodb:UpdateItem on Surveys',
    ]);
    expect(JSON.stringify(statementsOf(survey))).not.toMatch(
      /sqs:|ses:|s3:|dynamodb:(Scan|DeleteItem|PutItem)/,
    );
  });

  it('grant no DynamoDB wildcard and no table-wide index wildcard to any function', () => {
    for (const manifest of functionManifests) {
      const text = JSON.stringify(statementsOf(manifest));
      expect(text, manifest.handler).not.toContain('dynamodb:*');
      expect(text, manifest.handler).not.toContain('/index/*');
    }
  });

  it.each(functionManifests.map((manifest) => [manifest.handler, manifest] as const))(
    'give %s exactly the environment its manifest declares',
    (_handler, manifest) => {
      const fn = template.findResources('AWS::Lambda::Function', {
        Properties: { Description: manifest.description },
      });
      const [resource] = Object.values(fn);
      const variables = Object.keys(resource?.Properties.Environment.Variables ?? {}).sort();
      const declared = environmentOf(manifest).filter((name) => !settingsWithDefaults.has(name));
      expect(variables).toEqual([...declared, 'POWERTOOLS_SERVICE_NAME'].sort());
    },
  );

  it('feed each queue-triggered function with the batch size and concurrency of its manifest', () => {
    for (const manifest of functionManifests) {
      if (manifest.trigger.kind !== 'queue') continue;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(stack.functionOf(manifest.handler).fn) },
        BatchSize: manifest.trigger.batchSize,
        ScalingConfig: { MaximumConcurrency: manifest.trigger.maxConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  it('run each scheduled function at the rate of its manifest', () => {
    for (const manifest of functionManifests) {
      if (manifest.trigger.kind !== 'schedule') continue;
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: Match.stringLikeRegexp(
          `rate\\(${manifest.trigger.everyMinutes / 60} hours?\\)|rate\\(${manifest.trigger.everyMinutes} minutes\\)`,
        ),
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalId(stack.functionOf(manifest.handler).fn), 'Arn'] },
          }),
        ],
      });
    }
  });
});
