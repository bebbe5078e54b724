import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, Function as LambdaFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionManifest, SettingName } from '../../functions/resources/function-manifest';
import { lambdaHandler } from '../bundling/handler-bundle';
import { handlerCode } from '../bundling/handler-code';
import { functionDefaults } from '../defaults/function-defaults';
import type { ExportBucket } from './export-bucket';
import type { Tables } from './registry-tables';
import type { SurveyMail } from './survey-mail';
import type { WorkQueues } from './work-queues';

/** The stack's resources a manifest's grants and settings are resolved against. */
export interface FunctionResources {
  readonly tables: Tables;
  readonly queues: WorkQueues;
  /** Values of the settings functions may declare; a declared setting without a value is not set. */
  readonly settings: Readonly<Partial<Record<SettingName, string>>>;
  readonly mail: SurveyMail;
  readonly exportFiles: ExportBucket;
}

/**
 * A Lambda function built from its manifest (`functions/resources/manifests/`), with closeloop's
 * defaults (see `functionDefaults`) and a role that starts with no permissions at all: it may write
 * its own logs and traces, and gets exactly the actions its manifest lists, on exactly its tables,
 * indexes and queues, with their names and URLs in the variables their definitions name, and the
 * values of the settings it declares. Its event source (queue or stream) comes from the manifest too.
 */
export class NodeFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly manifest: FunctionManifest;

  constructor(scope: Construct, id: string, manifest: FunctionManifest, resources: FunctionResources) {
    super(scope, id);
    this.manifest = manifest;
    const logGroup = new LogGroup(this, 'Logs', { retention: functionDefaults.logRetention });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${manifest.handler} function`,
    });
    this.fn = new LambdaFunction(this, 'Function', {
      code: handlerCode(manifest.handler),
      handler: lambdaHandler,
      description: manifest.description,
      runtime: functionDefaults.runtime,
      architecture: functionDefaults.architecture,
      memorySize: manifest.memorySize ?? functionDefaults.memorySize,
      timeout:
        manifest.timeoutSeconds === undefined
          ? functionDefaults.timeout
          : Duration.seconds(manifest.timeoutSeconds),
      tracing: functionDefaults.tracing,
      loggingFormat: functionDefaults.loggingFormat,
      logGroup,
      role,
      environment: { POWERTOOLS_SERVICE_NAME: 'closeloop' },
    });
    logGroup.grantWrite(role);
    this.grantTables(resources);
    this.grantQueues(resources);
    this.addTrigger(resources);
    this.grantRest(resources);
    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "closeloop's functions are invoked synchronously (API Gateway) or by SQS event source mappings, " +
        "whose failures go to the source queue's dead-letter queue; a function DLQ only applies to " +
        'asynchronous invocations.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level ' +
        'permissions, so AWS requires Resource "*" for them; so does ses:GetAccount (the sending quota ' +
        'the mail senders pace themselves to).',
    });
  }

  private grantTables(resources: FunctionResources) {
    for (const { table: definition, actions, indexes = [] } of this.manifest.tables) {
      const table = resources.tables.get(definition);
      if (actions.length > 0) {
        this.fn.addToRolePolicy(
          new PolicyStatement({
            actions: actions.map((action) => `dynamodb:${action}`),
            resources: [table.tableArn],
          }),
        );
      }
      if (indexes.length > 0) {
        this.fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
          }),
        );
      }
      this.fn.addEnvironment(definition.envVar, table.tableName);
    }
  }

  private grantQueues(resources: FunctionResources) {
    for (const { queue: definition, actions } of this.manifest.queues) {
      const { queue } = resources.queues.get(definition);
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions: actions.map((action) => `sqs:${action}`),
          resources: [queue.queueArn],
        }),
      );
      this.fn.addEnvironment(definition.envVar, queue.queueUrl);
    }
  }

  private addTrigger(resources: FunctionResources) {
    const { trigger } = this.manifest;
    if (trigger.kind === 'queue') {
      // Partial batch failures reported; at most `maxConcurrency` concurrent batches (protects
      // downstream rate limits). A record that keeps failing goes to the queue's dead-letter queue.
      this.fn.addEventSource(
        new SqsEventSource(resources.queues.get(trigger.queue).queue, {
          batchSize: trigger.batchSize,
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      Validations.of(this.fn).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "SQS event source mappings take no on-failure destination: a record that keeps failing goes to the queue's own dead-letter queue (redrive policy), which has an alarm.",
      });
    }
    if (trigger.kind === 'stream') {
      // Only the records the filter matches; a failing batch is split in two to isolate the bad
      // record, and after the retries its description goes to the dead-letter queue (alarmed).
      this.fn.addEventSource(
        new DynamoEventSource(resources.tables.get(trigger.table), {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: trigger.batchSize,
          maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
          bisectBatchOnError: true,
          retryAttempts: trigger.retryAttempts,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(resources.queues.get(trigger.onFailure).deadLetter),
          filters: [FilterCriteria.filter(trigger.filter as Record<string, unknown>)],
        }),
      );
    }
  }

  private grantRest(resources: FunctionResources) {
    if (this.manifest.sendsMail) resources.mail.grantSend(this.fn);
    if (this.manifest.exportFiles === 'write') resources.exportFiles.grantWriteExports(this.fn);
    if (this.manifest.exportFiles === 'read') resources.exportFiles.grantReadExports(this.fn);
    if (this.manifest.importFiles) resources.exportFiles.grantImportFiles(this.fn);
    for (const name of this.manifest.settings) {
      const value = resources.settings[name];
      if (value !== undefined) this.fn.addEnvironment(name, value);
    }
  }
}
