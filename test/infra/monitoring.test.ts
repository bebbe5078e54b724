import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionManifests } from '../../functions/resources/manifests';
import { queues } from '../../functions/resources/queues';
import { CloseloopStack } from '../../lib/closeloop-stack';
import { errorsAlarmOf } from '../../lib/defaults/alarm-defaults';

let stack: CloseloopStack;
let template: Template;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new CloseloopStack(app, 'Test', { alarmEmail: 'ops@example.com' });
  template = Template.fromStack(stack);
});

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const topic = () =>
  Object.keys(
    template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'closeloop alarms' } }),
  )[0];
const notifies = () => ({ AlarmActions: [{ Ref: topic() }], OKActions: [{ Ref: topic() }] });
const onFunction = (handler: string) => [
  { Name: 'FunctionName', Value: { Ref: logicalId(stack.functionOf(handler).fn) } },
];

describe('alarms', () => {
  it('fire on 5xx answers of the HTTP API', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(stack.api.api) } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      ...notifies(),
    });
  });

  it.each(functionManifests.map((manifest) => [manifest.id, manifest] as const))(
    'fire on errors and throttles of %s',
    (_id, manifest) => {
      const errors = errorsAlarmOf(manifest);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: onFunction(manifest.handler),
        Period: errors.periodMinutes * 60,
        Threshold: errors.threshold,
        ...notifies(),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Dimensions: onFunction(manifest.handler),
        Threshold: 0,
        ...notifies(),
      });
    },
  );

  it('keep the tick alarm at two failed runs in three hours', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: onFunction('tick'),
      Period: 3 * 3600,
      Threshold: 1,
    });
  });

  it('fire when a stream consumer is more than a minute behind for five minutes', () => {
    const streams = functionManifests.filter(({ trigger }) => trigger.kind === 'stream');
    expect(streams.length).toBeGreaterThan(0);
    for (const manifest of streams) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: onFunction(manifest.handler),
        Statistic: 'Maximum',
        Threshold: 60_000,
        EvaluationPeriods: 5,
        ...notifies(),
      });
    }
  });

  it('fire as soon as any dead-letter queue holds a message', () => {
    for (const definition of queues) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(stack.queues.get(definition).deadLetter), 'QueueName'] },
          },
        ],
        Threshold: 0,
        ...notifies(),
      });
    }
  });

  it('all notify the alarm topic, on alarm and back to OK, and treat missing data as fine', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const streamConsumers = functionManifests.filter(({ trigger }) => trigger.kind === 'stream').length;
    expect(alarms.length).toBe(1 + 2 * functionManifests.length + streamConsumers + queues.length + 2);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({ ...notifies(), TreatMissingData: 'notBreaching' });
      expect(alarm.Properties.AlarmDescription).toEqual(expect.any(String));
    }
  });

  it('are e-mailed to the alarmEmail address', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic() },
    });
  });
});

describe('dashboard', () => {
  it('shows the state of every alarm', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    template.hasOutput('DashboardName', { Value: Match.anyValue() });
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const id of Object.keys(template.findResources('AWS::CloudWatch::Alarm')))
      expect(body).toContain(id);
  });

  it('graphs the API, every function, every queue and the business figures', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    for (const manifest of functionManifests)
      expect(body).toContain(logicalId(stack.functionOf(manifest.handler).fn));
    for (const definition of queues) expect(body).toContain(logicalId(stack.queues.get(definition).queue));
    for (const figure of ['InvitationsSent', 'AnswersRecorded', 'DetractorCasesOpened', '5xx', 'IteratorAge'])
      expect(body).toContain(figure);
  });
});

describe('without alarmEmail', () => {
  it('subscribes no e-mail address to the alarm topic', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const bare = Template.fromStack(new CloseloopStack(app, 'Bare'));
    bare.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
    bare.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'closeloop alarms',
      KmsMasterKeyId: Match.anyValue(),
    });
  });
});
