import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import {
  answersQueue,
  exportsBucketEnvVar,
  exportsQueue,
  followUpsQueue,
  invitationsQueue,
  queues,
  sesFeedbackQueue,
} from '../functions/resources/queues';
import {
  aggregatesTable,
  answerChangesFilter,
  casesTable,
  customerEmailsTable,
  customersTable,
  exportsTable,
  idempotencyTable,
  storesTable,
  surveysTable,
} from '../functions/resources/tables';
import { AlarmTopic, oneMinute } from './constructs/alarm-topic';
import { ExportBucket } from './constructs/export-bucket';
import { PublicHttpApi } from './constructs/http-api';
import { ManagerIdentity } from './constructs/manager-identity';
import { NodeFunction } from './constructs/node-function';
import { Tables } from './constructs/registry-tables';
import { SurveyMail } from './constructs/survey-mail';
import { WorkQueues } from './constructs/work-queues';

export interface CloseloopStackProps extends StackProps {
  /** E-mail address subscribed to operational alarms. */
  readonly alarmEmail?: string;
  /** Domain survey e-mails come from (an SES identity with Easy DKIM). */
  readonly senderDomain?: string;
  /** The brand customers know, used in e-mails and pages. */
  readonly brandName?: string;
  /** A public review page promoters are invited to on the thank-you page. */
  readonly reviewUrl?: string;
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
    const senderDomain = props.senderDomain ?? 'example.com';
    const brand = { BRAND_NAME: props.brandName ?? 'closeloop' };
    const alarms = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });

    // Stateful: retained and deletion-protected.
    this.tables = new Tables(this, 'Tables');
    this.queues = new WorkQueues(this, 'Queues', alarms);
    const table = this.tables.get.bind(this.tables);
    const queue = (definition: Parameters<WorkQueues['get']>[0]) => this.queues.get(definition).queue;
    const mail = new SurveyMail(this, 'Mail', {
      senderDomain,
      feedbackQueue: queue(sesFeedbackQueue),
      feedbackDeadLetterQueue: this.queues.get(sesFeedbackQueue).deadLetter,
      alarms,
    });

    // Stateless: functions and the API, each granted only what it uses.
    const managers = new ManagerIdentity(this, 'ManagerIdentity');
    this.api = new PublicHttpApi(this, 'PublicApi', {
      managerAuthorizer: managers.authorizer,
      wire: (handler, fn) => {
        switch (handler) {
          case 'health':
            return;
          case 'survey':
            fn.writeTable(surveysTable, table(surveysTable))
              .readTable(storesTable, table(storesTable))
              .readTable(aggregatesTable, table(aggregatesTable))
              .withEnvironment({ ...brand, ...(props.reviewUrl && { REVIEW_URL: props.reviewUrl }) });
            return;
          case 'manager-page':
          case 'dashboard-page':
            return;
          case 'exports':
            fn.writeTable(exportsTable, table(exportsTable)).sendTo(exportsQueue, queue(exportsQueue));
            return;
          case 'reports':
            fn.readTable(aggregatesTable, table(aggregatesTable))
              .readTable(storesTable, table(storesTable))
              .readTable(casesTable, table(casesTable))
              .readTable(surveysTable, table(surveysTable));
            return;
          case 'manager-cases':
            fn.writeTable(casesTable, table(casesTable)).readTable(storesTable, table(storesTable));
            return;
          case 'unsubscribe':
            fn.writeTable(customersTable, table(customersTable))
              .readTable(customerEmailsTable, table(customerEmailsTable))
              .readTable(surveysTable, table(surveysTable))
              .withEnvironment(brand);
            return;
          default:
            throw new Error(`no permissions declared for handler ${handler} in CloseloopStack`);
        }
      },
    });

    const tick = new NodeFunction(this, 'Tick', {
      handler: 'tick',
      description: 'closeloop: hourly time-driven jobs (survey scheduling, reminders)',
      timeout: Duration.minutes(5),
    })
      .writeTable(customersTable, table(customersTable))
      .readTable(customerEmailsTable, table(customerEmailsTable))
      .writeTable(surveysTable, table(surveysTable))
      .readTable(aggregatesTable, table(aggregatesTable))
      .writeTable(casesTable, table(casesTable))
      .writeTable(storesTable, table(storesTable))
      .sendTo(invitationsQueue, queue(invitationsQueue))
      .sendTo(answersQueue, queue(answersQueue))
      .sendTo(followUpsQueue, queue(followUpsQueue));
    const hourly = new Rule(this, 'Hourly', {
      description: 'Runs the closeloop tick every hour',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(tick.fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
    Validations.of(hourly).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason:
        'A failed tick needs no dead letter: each run queues everything due up to its own instant, so the next ' +
        'hourly run catches up. Repeated failures raise the TickErrorsAlarm.',
    });
    alarms.alarmAbove(
      'TickErrorsAlarm',
      tick.fn.metricErrors({ period: Duration.hours(3), statistic: 'Sum' }),
      1,
      'The hourly tick failed twice in three hours: surveys and reminders are not being scheduled.',
    );

    const sender = new NodeFunction(this, 'SendInvitations', {
      handler: 'send-invitations',
      description: 'closeloop: renders and sends survey invitations and reminders through SES',
      timeout: Duration.seconds(30),
    })
      .writeTable(customersTable, table(customersTable))
      .readTable(customerEmailsTable, table(customerEmailsTable))
      .readTable(storesTable, table(storesTable))
      .writeTable(surveysTable, table(surveysTable))
      .writeTable(aggregatesTable, table(aggregatesTable))
      .writeTable(idempotencyTable, table(idempotencyTable))
      .consume(invitationsQueue, queue(invitationsQueue))
      .withEnvironment({
        ...brand,
        PUBLIC_API_URL: this.api.url,
        SENDER_ADDRESS: `${brand.BRAND_NAME} <surveys@${senderDomain}>`,
        SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      });
    mail.grantSend(sender.fn);
    alarms.alarmAbove(
      'SenderErrorsAlarm',
      sender.fn.metricErrors({ period: oneMinute.plus(Duration.minutes(4)), statistic: 'Sum' }),
      5,
      'The invitation sender keeps failing (SES throttling or an outage): tasks are retried, then dead-lettered.',
    );

    // Answers are counted from the Surveys stream; the tick re-queues any it finds uncounted.
    const counting = (id: string, handler: string, description: string) =>
      new NodeFunction(this, id, { handler, description, timeout: Duration.seconds(30) })
        .writeTable(surveysTable, table(surveysTable))
        .writeTable(aggregatesTable, table(aggregatesTable))
        .writeTable(customersTable, table(customersTable))
        .readTable(customerEmailsTable, table(customerEmailsTable))
        .writeTable(idempotencyTable, table(idempotencyTable))
        .sendTo(followUpsQueue, queue(followUpsQueue));
    counting(
      'AnswerStream',
      'answer-stream',
      'closeloop: counts new answers from the Surveys stream',
    ).consumeStream(table(surveysTable), answerChangesFilter, this.queues.get(answersQueue).deadLetter);
    counting('CountAnswers', 'count-answers', 'closeloop: counts answers the tick found uncounted').consume(
      answersQueue,
      queue(answersQueue),
    );

    const followUps = new NodeFunction(this, 'FollowUps', {
      handler: 'follow-ups',
      description: 'closeloop: opens detractor cases, alerts store managers, escalates overdue cases',
      timeout: Duration.seconds(30),
    })
      .writeTable(casesTable, table(casesTable))
      .readTable(customersTable, table(customersTable))
      .readTable(customerEmailsTable, table(customerEmailsTable))
      .readTable(storesTable, table(storesTable))
      .readTable(surveysTable, table(surveysTable))
      .readTable(aggregatesTable, table(aggregatesTable))
      .writeTable(idempotencyTable, table(idempotencyTable))
      .consume(followUpsQueue, queue(followUpsQueue))
      .withEnvironment({
        PUBLIC_API_URL: this.api.url,
        SENDER_ADDRESS: `${brand.BRAND_NAME} <surveys@${senderDomain}>`,
        SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      });
    mail.grantSend(followUps.fn);

    new NodeFunction(this, 'SesFeedback', {
      handler: 'ses-feedback',
      description: 'closeloop: marks bounced and complaining customers so they are never mailed again',
    })
      .writeTable(customersTable, table(customersTable))
      .readTable(customerEmailsTable, table(customerEmailsTable))
      .consume(sesFeedbackQueue, queue(sesFeedbackQueue));

    const exportFiles = new ExportBucket(this, 'ExportFiles');
    const exporter = new NodeFunction(this, 'ExportSegments', {
      handler: 'export-segments',
      description: 'closeloop: streams requested marketing segments into the exports bucket',
      timeout: Duration.minutes(15),
      memorySize: 512,
    })
      .readTable(customersTable, table(customersTable))
      .readTable(surveysTable, table(surveysTable))
      .writeTable(exportsTable, table(exportsTable))
      .consume(exportsQueue, queue(exportsQueue), { batchSize: 1, maxConcurrency: 2 })
      .withEnvironment({
        [customerEmailsTable.envVar]: table(customerEmailsTable).tableName,
        [exportsBucketEnvVar]: exportFiles.bucket.bucketName,
      });
    exportFiles.grantWriteExports(exporter.fn);
    const exportsApi = this.api.functions.get('exports');
    if (exportsApi === undefined) throw new Error('the exports route has no function');
    exportsApi.withEnvironment({ [exportsBucketEnvVar]: exportFiles.bucket.bucketName });
    exportFiles.grantReadExports(exportsApi.fn);

    new CfnOutput(this, 'ExportsBucketName', {
      value: exportFiles.bucket.bucketName,
      description: exportsBucketEnvVar,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of survey links' });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'ManagerUserPoolId', { value: managers.userPool.userPoolId });
    new CfnOutput(this, 'ManagerAppClientId', { value: managers.client.userPoolClientId });
    // The CLI reads these names from the same variables the functions use (see README: AWS).
    for (const [definition, resource] of this.tables.all) {
      new CfnOutput(this, `${definition.id}TableName`, {
        value: resource.tableName,
        description: definition.envVar,
      });
    }
    for (const definition of queues) {
      new CfnOutput(this, `${definition.id}QueueUrl`, {
        value: queue(definition).queueUrl,
        description: definition.envVar,
      });
    }
  }
}
