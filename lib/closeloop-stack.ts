import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { queues } from '../functions/resources/queues';
import { AlarmTopic } from './constructs/alarm-topic';
import { PublicHttpApi } from './constructs/http-api';
import { Tables } from './constructs/registry-tables';
import { WorkQueues } from './constructs/work-queues';

export interface CloseloopStackProps extends StackProps {
  /** E-mail address subscribed to operational alarms. */
  readonly alarmEmail?: string;
}

/**
 * closeloop in one environment-agnostic stack: stateful resources (tables, queues) kept apart from
 * stateless ones (functions, API), each built by a small construct with opinionated defaults.
 */
export class CloseloopStack extends Stack {
  readonly tables: Tables;
  readonly queues: WorkQueues;
  readonly api: PublicHttpApi;

  constructor(scope: Construct, id: string, props: CloseloopStackProps = {}) {
    super(scope, id, props);
    const alarms = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });

    // Stateful: retained and deletion-protected.
    this.tables = new Tables(this, 'Tables');
    this.queues = new WorkQueues(this, 'Queues', alarms);

    // Stateless: functions and the API, each granted only what it uses.
    this.api = new PublicHttpApi(this, 'PublicApi', {
      wire: (handler) => {
        switch (handler) {
          case 'health':
            return;
          default:
            throw new Error(`no permissions declared for handler ${handler} in CloseloopStack`);
        }
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of survey links' });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    // The CLI reads these names from the same variables the functions use (see README: AWS).
    for (const [definition, table] of this.tables.all) {
      new CfnOutput(this, `${definition.id}TableName`, {
        value: table.tableName,
        description: definition.envVar,
      });
    }
    for (const definition of queues) {
      new CfnOutput(this, `${definition.id}QueueUrl`, {
        value: this.queues.get(definition).queue.queueUrl,
        description: definition.envVar,
      });
    }
  }
}
