import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, Function as LambdaFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '../../functions/resources/queues';
import type { TableDefinition } from '../../functions/resources/tables';
import { lambdaHandler } from '../bundling/handler-bundle';
import { handlerCode } from '../bundling/handler-code';
import { type FunctionTuning, functionDefaults } from '../defaults/function-defaults';

export interface NodeFunctionProps extends FunctionTuning {
  /** File name (without `.ts`) in `functions/handlers/`. */
  readonly handler: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
}

/**
 * A Lambda function with closeloop's defaults (see `functionDefaults`) and a role that starts with no
 * permissions at all: it may write its own logs and traces, and every other access is granted
 * explicitly through `readTable`, `writeTable`, `sendTo` and friends, which also pass the resource's
 * name or URL through the environment variable its shared definition names.
 */
export class NodeFunction extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: functionDefaults.logRetention });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} function`,
    });
    this.fn = new LambdaFunction(this, 'Function', {
      code: handlerCode(props.handler),
      handler: lambdaHandler,
      description: props.description,
      runtime: functionDefaults.runtime,
      architecture: functionDefaults.architecture,
      memorySize: props.memorySize ?? functionDefaults.memorySize,
      timeout: props.timeout ?? functionDefaults.timeout,
      tracing: functionDefaults.tracing,
      loggingFormat: functionDefaults.loggingFormat,
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'closeloop',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    logGroup.grantWrite(role);
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
        'permissions, so AWS requires Resource "*" for them.',
    });
  }

  readTable(definition: TableDefinition, table: ITableV2): this {
    table.grantReadData(this.fn);
    return this.usesTable(definition, table);
  }

  writeTable(definition: TableDefinition, table: ITableV2): this {
    table.grantReadWriteData(this.fn);
    return this.usesTable(definition, table);
  }

  private usesTable(definition: TableDefinition, table: ITableV2): this {
    this.fn.addEnvironment(definition.envVar, table.tableName);
    if (definition.globalIndexes.length > 0) {
      const tableId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
      Validations.of(this.fn.role ?? this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*]`,
        reason: `Queries the indexes of the ${definition.id} table (${definition.globalIndexes.map((i) => i.indexName).join(', ')}); the wildcard covers only that table's own indexes.`,
      });
    }
    return this;
  }

  sendTo(definition: QueueDefinition, queue: IQueue): this {
    queue.grantSendMessages(this.fn);
    this.fn.addEnvironment(definition.envVar, queue.queueUrl);
    return this;
  }

  /**
   * Consumes a queue like the local runtime does: batches of `batchSize`, partial batch failures
   * reported, at most `maxConcurrency` concurrent batches (protects downstream rate limits).
   */
  consume(definition: QueueDefinition, queue: IQueue, { batchSize = 10, maxConcurrency = 5 } = {}): this {
    this.fn.addEventSource(
      new SqsEventSource(queue, { batchSize, maxConcurrency, reportBatchItemFailures: true }),
    );
    Validations.of(this.fn).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "SQS event source mappings take no on-failure destination: a record that keeps failing goes to the queue's own dead-letter queue (redrive policy), which has an alarm.",
    });
    this.fn.addEnvironment(definition.envVar, queue.queueUrl);
    return this;
  }

  /**
   * Consumes a table's change stream: only the records `filter` matches, batches of up to 100,
   * partial batch failures reported, a failing batch split in two to isolate the bad record, and
   * after five retries its description sent to `deadLetter` (whose alarm fires).
   */
  consumeStream(table: ITableV2, filter: Record<string, unknown>, deadLetter: IQueue): this {
    this.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(deadLetter),
        filters: [FilterCriteria.filter(filter)],
      }),
    );
    return this;
  }

  withEnvironment(variables: Readonly<Record<string, string>>): this {
    for (const [name, value] of Object.entries(variables)) this.fn.addEnvironment(name, value);
    return this;
  }
}
