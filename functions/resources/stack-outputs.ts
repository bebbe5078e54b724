import { exportsBucketEnvVar, type QueueDefinition, queues } from './queues';
import { type TableDefinition, tables } from './tables';

/** The variable through which tools receive the staff user pool's id (`closeloop staff …` against Cognito). */
export const managerUserPoolIdEnvVar = 'MANAGER_USER_POOL_ID';

/** One output of the stack and the environment variable its value is known by. */
export interface StackOutputVariable {
  /** The output's key in the deployed stack (`DescribeStacks` → `Outputs[].OutputKey`). */
  readonly outputKey: string;
  readonly envVar: string;
}

export const tableOutputKey = (table: TableDefinition) => `${table.id}TableName`;
export const queueOutputKey = (queue: QueueDefinition) => `${queue.id}QueueUrl`;
export const deadLetterOutputKey = (queue: QueueDefinition) => `${queue.id}DeadLetterQueueUrl`;
export const exportsBucketOutputKey = 'ExportsBucketName';
export const managerUserPoolIdOutputKey = 'ManagerUserPoolId';

/**
 * Every output the CLI turns into the environment the functions see: each table's name, each queue's
 * and dead-letter queue's URL, the exports bucket and the staff user pool. The stack outputs each of
 * them with its variable's name as description (the infra tests hold it to this list).
 */
export const stackOutputVariables: readonly StackOutputVariable[] = [
  ...tables.map((table) => ({ outputKey: tableOutputKey(table), envVar: table.envVar })),
  ...queues.flatMap((queue) => [
    { outputKey: queueOutputKey(queue), envVar: queue.envVar },
    { outputKey: deadLetterOutputKey(queue), envVar: queue.deadLetterEnvVar },
  ]),
  { outputKey: exportsBucketOutputKey, envVar: exportsBucketEnvVar },
  { outputKey: managerUserPoolIdOutputKey, envVar: managerUserPoolIdEnvVar },
];

/** The stack `bin/app.ts` deploys, and the one the CLI reads unless told `--stack NAME`. */
export const defaultStackName = 'Closeloop';
