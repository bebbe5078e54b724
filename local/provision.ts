import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { visibilityTimeoutSecondsOf } from '../functions/resources/queue-consumers';
import {
  deadLetterQueueId,
  deadLetterRetentionDays,
  exportsBucketEnvVar,
  type QueueDefinition,
  queues,
} from '../functions/resources/queues';
import {
  type IndexDefinition,
  type KeyDefinition,
  type TableDefinition,
  tables,
} from '../functions/resources/tables';

const DAY_SECONDS = 86_400;

/** Local resources are named `{namespace}-{id}`; tests use their own namespace to stay apart. */
export const defaultNamespace = 'closeloop';
const localName = (namespace: string, id: string) => `${namespace}-${id}`;

const keySchema = (partitionKey: KeyDefinition, sortKey?: KeyDefinition) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
];

const projection = (index: IndexDefinition) =>
  typeof index.projection === 'string'
    ? { ProjectionType: index.projection }
    : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection] };

/** The CreateTable request for a table definition: the local twin of the stack's table. */
export const createTableInput = (
  table: TableDefinition,
  namespace = defaultNamespace,
): CreateTableCommandInput => {
  const keys = [
    table.partitionKey,
    table.sortKey,
    ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const attributes = new Map(keys.filter((key) => key !== undefined).map((key) => [key.name, key.type]));
  return {
    TableName: localName(namespace, table.id),
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }),
    ...(table.globalIndexes.length > 0 && {
      GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: projection(index),
      })),
    }),
  };
};

/** Waits until every index of a table is active: DynamoDB builds one new index at a time. */
const indexesActive = async (dynamodb: DynamoDBClient, TableName: string) => {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
    if ((Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline)
      throw new Error(`the indexes of ${TableName} are still being built after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/**
 * Adds to a table kept from an earlier run (a persistent data directory) the indexes declared since
 * it was created, so that a new index does not need its data thrown away. One at a time, each once
 * the one before is built (DynamoDB refuses a second index while one is being created).
 */
const addMissingIndexes = async (dynamodb: DynamoDBClient, table: TableDefinition, namespace: string) => {
  const TableName = localName(namespace, table.id);
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const input = createTableInput(table, namespace);
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    await indexesActive(dynamodb, TableName);
    await dynamodb.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: input.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
  await indexesActive(dynamodb, TableName);
};

/** Creates every table that does not exist yet (a persistent data directory keeps them). */
export const provisionTables = async (
  dynamodb: DynamoDBClient,
  namespace = defaultNamespace,
): Promise<Record<string, string>> => {
  const env: Record<string, string> = {};
  for (const table of tables as readonly TableDefinition[]) {
    try {
      await dynamodb.send(new CreateTableCommand(createTableInput(table, namespace)));
      if (table.timeToLiveAttribute !== undefined) {
        await dynamodb.send(
          new UpdateTimeToLiveCommand({
            TableName: localName(namespace, table.id),
            TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await addMissingIndexes(dynamodb, table, namespace);
    }
    env[table.envVar] = localName(namespace, table.id);
  }
  return env;
};

const createQueue = async (sqs: SQSClient, name: string, attributes: Record<string, string>) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error(`CreateQueue returned no URL for ${name}`);
  return QueueUrl;
};

/** Creates each work queue and its dead-letter queue, with the redrive policy the stack sets. */
export const provisionQueues = async (
  sqs: SQSClient,
  namespace = defaultNamespace,
): Promise<Record<string, string>> => {
  const env: Record<string, string> = {};
  for (const queue of queues as readonly QueueDefinition[]) {
    const deadLetterUrl = await createQueue(sqs, localName(namespace, deadLetterQueueId(queue)), {
      MessageRetentionPeriod: String(deadLetterRetentionDays * DAY_SECONDS),
    });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }),
    );
    env[queue.envVar] = await createQueue(sqs, localName(namespace, queue.id), {
      VisibilityTimeout: String(visibilityTimeoutSecondsOf(queue)),
      MessageRetentionPeriod: String(queue.retentionDays * DAY_SECONDS),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes?.QueueArn,
        maxReceiveCount: queue.maxReceiveCount,
      }),
    });
    env[queue.deadLetterEnvVar] = deadLetterUrl;
  }
  return env;
};

/** Creates the exports bucket (fauxqs emulates S3 on the SQS emulator's port). */
export const provisionBuckets = async (
  s3: S3Client,
  namespace = defaultNamespace,
): Promise<Record<string, string>> => {
  const bucket = localName(namespace, 'exports').toLowerCase();
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou) && (error as Error).name !== 'BucketAlreadyExists')
      throw error;
  }
  return { [exportsBucketEnvVar]: bucket };
};
