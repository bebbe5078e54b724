import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionManifests } from '../../functions/resources/manifests';
import { visibilityTimeoutSecondsOf } from '../../functions/resources/queue-consumers';
import { queues } from '../../functions/resources/queues';
import { routes } from '../../functions/resources/routes';
import { answerChangesFilter, storesTable, tables } from '../../functions/resources/tables';
import { CloseloopStack } from '../../lib/closeloop-stack';
import { nagPacks } from '../../lib/nag';
import { createTableInput } from '../../local/provision';

let stack: CloseloopStack;
let template: Template;

beforeAll(() => {
  // Synthesise once, without bundling the functions (esbuild is exercised by `cdk synth` in CI).
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new CloseloopStack(app, 'Test', { alarmEmail: 'ops@example.com' });
  template = Template.fromStack(stack);
});

describe('tables', () => {
  it('creates one table per shared definition, with PITR and deletion protection, retained on delete', () => {
    const found = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(found)).toHaveLength(tables.length);
    for (const resource of Object.values(found)) {
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it.each(tables.map((table) => [table.id, table] as const))(
    'gives %s the same keys and indexes as the local table',
    (_id, table) => {
      const local = createTableInput(table);
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: local.KeySchema,
        AttributeDefinitions: Match.arrayWith(local.AttributeDefinitions ?? []),
      });
    },
  );
});

describe('queues', () => {
  it('gives every work queue a dead-letter queue with the shared receive count, encrypted and TLS-only', () => {
    for (const queue of queues) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: visibilityTimeoutSecondsOf(queue),
        SqsManagedSseEnabled: true,
        RedrivePolicy: { maxReceiveCount: queue.maxReceiveCount, deadLetterTargetArn: Match.anyValue() },
      });
    }
    template.resourceCountIs('AWS::SQS::Queue', queues.length * 2);
    template.resourceCountIs('AWS::SQS::QueuePolicy', queues.length * 2);
  });

  it("gives every queue a Lambda function consumes a visibility timeout of at least six times the function's timeout", () => {
    interface Resource {
      readonly Type: string;
      readonly Properties: Record<string, unknown>;
    }
    const resources: Record<string, Resource> = template.toJSON().Resources;
    const referenced = (value: unknown, key: 'Ref' | 'Fn::GetAtt') => {
      const target = (value as Record<string, unknown> | undefined)?.[key];
      const id = Array.isArray(target) ? target[0] : target;
      return typeof id === 'string' ? resources[id] : undefined;
    };
    const pairs = Object.values(resources)
      .filter(({ Type }) => Type === 'AWS::Lambda::EventSourceMapping')
      .map(({ Properties }) => ({
        queue: referenced(Properties.EventSourceArn, 'Fn::GetAtt'),
        fn: referenced(Properties.FunctionName, 'Ref'),
      }))
      .filter(({ queue }) => queue?.Type === 'AWS::SQS::Queue');
    // Every function a queue triggers is checked, none missed.
    expect(pairs).toHaveLength(functionManifests.filter(({ trigger }) => trigger.kind === 'queue').length);
    for (const { queue, fn } of pairs) {
      expect(fn?.Type).toBe('AWS::Lambda::Function');
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(fn?.Properties.Timeout));
    }
  });

  it('alarms as soon as a message reaches a dead-letter queue', () => {
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, AlarmActions: [Match.anyValue()] },
      queues.length,
    );
  });
});

describe('functions', () => {
  it('run on the current Node.js runtime on arm64, with explicit memory and timeout, tracing and JSON logs', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions).length).toBeGreaterThan(0);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: expect.any(Number),
        Timeout: expect.any(Number),
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
      });
    }
  });

  it('have roles without managed policies (every permission is granted explicitly)', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] },
      },
    });
    expect(Object.keys(roles).length).toBeGreaterThan(0);
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('keep their logs for a month', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('HTTP API', () => {
  it('exposes exactly the shared routes', () => {
    for (const route of routes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
      });
    }
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
  });

  it('throttles the stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });
});

describe('alarm topic', () => {
  it('is encrypted with a rotating key and subscribes the operator e-mail', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('cdk-nag', () => {
  it.each(nagPacks().map((pack) => [pack.readPackName, pack] as const))(
    '%s reports no unacknowledged finding',
    (_name, pack) => {
      const report = pack.validateScope(stack);
      expect(
        report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
        ),
      ).toEqual([]);
    },
  );
});

describe('survey scheduling and sending', () => {
  const policyOf = (functionPath: string) => {
    const policies = template.findResources('AWS::IAM::Policy');
    const entry = Object.entries(policies).find(([id]) => id.startsWith(functionPath));
    if (entry === undefined) throw new Error(`no policy for ${functionPath}`);
    return JSON.stringify(entry[1].Properties.PolicyDocument);
  };

  it('runs the tick every hour', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });

  it('feeds the invitations queue to the sender in batches, reporting partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('sends through a configuration set that requires TLS and publishes bounces and complaints', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ MatchingEventTypes: ['bounce', 'complaint'], Enabled: true }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RedrivePolicy: Match.anyValue(),
    });
  });

  it('alarms before SES reviews the account for bounces or complaints', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 4, Metrics: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 0.08, Metrics: Match.anyValue() });
  });

  it('grants the unsubscribe function no access to the stores table, and the sender no access to SES beyond its identity', () => {
    const stores = stack.getLogicalId(stack.tables.get(storesTable).node.defaultChild as CfnElement);
    expect(policyOf('UnsubscribeRole')).not.toContain(stores);
    expect(policyOf('SendInvitationsRole')).toContain(stores);
    expect(policyOf('SendInvitationsRole')).toContain('ses:SendEmail');
    expect(policyOf('SendInvitationsRole')).not.toMatch(/"Action":"ses:\*"/);
  });
});

describe('answer counting', () => {
  it('consumes the Surveys stream, filtered to uncounted answers, with retries, bisection and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(answerChangesFilter) }] },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'token', KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
  });
});

describe('manager API', () => {
  it('puts a Cognito JWT authorizer in front of every manager and report route, and none in front of public ones', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    for (const route of routes) {
      const key = route.Properties.RouteKey as string;
      if (key.includes(' /m/') || key.includes(' /r/') || key.includes(' /api/'))
        expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: expect.anything() });
      else expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
  });

  it('keeps managers in a user pool without self sign-up, with MFA and a strong password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
    });
  });
});
