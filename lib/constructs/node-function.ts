import { fileURLToPath } from 'node:url';
import { Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueDefinition } from '../../functions/resources/queues';
import type { TableDefinition } from '../../functions/resources/tables';
import { bundlingDefaults, type FunctionTuning, functionDefaults } from '../defaults/function-defaults';

export interface NodeFunctionProps extends FunctionTuning {
  /** File name (without `.ts`) in `functions/handlers/`. */
  readonly handler: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
}

const handlersDir = fileURLToPath(new URL('../../functions/handlers/', import.meta.url));
const lockFile = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

/**
 * A Lambda function with closeloop's defaults (see `functionDefaults`) and a role that starts with no
 * permissions at all: it may write its own logs and traces, and every other access is granted
 * explicitly through `readTable`, `writeTable`, `sendTo` and friends, which also pass the resource's
 * name or URL through the environment variable its shared definition names.
 */
export class NodeFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: functionDefaults.logRetention });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.handler} function`,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${handlersDir}${props.handler}.ts`,
      depsLockFilePath: lockFile,
      handler: 'handler',
      description: props.description,
      runtime: functionDefaults.runtime,
      architecture: functionDefaults.architecture,
      memorySize: props.memorySize ?? functionDefaults.memorySize,
      timeout: props.timeout ?? functionDefaults.timeout,
      tracing: functionDefaults.tracing,
      loggingFormat: functionDefaults.loggingFormat,
      logGroup,
      role,
      bundling: bundlingDefaults,
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
    this.fn.addEnvironment(definition.envVar, table.tableName);
    return this;
  }

  writeTable(definition: TableDefinition, table: ITableV2): this {
    table.grantReadWriteData(this.fn);
    this.fn.addEnvironment(definition.envVar, table.tableName);
    return this;
  }

  sendTo(definition: QueueDefinition, queue: IQueue): this {
    queue.grantSendMessages(this.fn);
    this.fn.addEnvironment(definition.envVar, queue.queueUrl);
    return this;
  }
}
