import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { visibilityTimeoutSecondsOf } from '../../functions/resources/queue-consumers';
import { queues } from '../../functions/resources/queues';
import { surveysTable, tables } from '../../functions/resources/tables';
import { startDynamoDbLocal } from '../../local/emulators/dynamodb-local';
import { freePort } from '../../local/emulators/ports';
import { createTableInput, provisionTables } from '../../local/provision';
import { localEnv } from '../support/local-stack';

const clientConfig = () => {
  const env = localEnv();
  return {
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
};

describe('local provisioning', () => {
  it.each(tables.map((table) => [table.id, table] as const))(
    'creates the %s table with its shared keys',
    async (_id, table) => {
      const dynamodb = new DynamoDBClient({
        ...clientConfig(),
        endpoint: localEnv().AWS_ENDPOINT_URL_DYNAMODB,
      });
      const { Table } = await dynamodb.send(
        new DescribeTableCommand({ TableName: localEnv()[table.envVar] }),
      );
      expect(Table?.KeySchema).toEqual(createTableInput(table).KeySchema);
      expect(Table?.TableStatus).toBe('ACTIVE');
    },
  );

  it('adds the indexes declared since to a table kept from an earlier run', async () => {
    // Its own DynamoDB Local, as `npm start --data-dir` has: the shared one, holding every test's
    // tables by now, can take over a minute to build an index.
    const own = await startDynamoDbLocal({ port: await freePort() });
    const dynamodb = new DynamoDBClient({ ...clientConfig(), endpoint: own.endpoint });
    try {
      const namespace = `provision-${Date.now().toString(36)}`;
      const before = { ...surveysTable, globalIndexes: surveysTable.globalIndexes.slice(0, 2) };
      await dynamodb.send(new CreateTableCommand(createTableInput(before, namespace)));

      await provisionTables(dynamodb, namespace);

      const { Table } = await dynamodb.send(
        new DescribeTableCommand({ TableName: createTableInput(surveysTable, namespace).TableName }),
      );
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        surveysTable.globalIndexes.map((index) => index.indexName).sort(),
      );
    } finally {
      dynamodb.destroy();
      await own.stop();
    }
  });

  it.each(queues.map((queue) => [queue.id, queue] as const))(
    'creates the %s queue with its dead-letter queue and receive count',
    async (_id, queue) => {
      const sqs = new SQSClient({ ...clientConfig(), endpoint: localEnv().AWS_ENDPOINT_URL_SQS });
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: localEnv()[queue.envVar], AttributeNames: ['All'] }),
      );
      const deadLetter = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: localEnv()[queue.deadLetterEnvVar],
          AttributeNames: ['QueueArn'],
        }),
      );
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: deadLetter.Attributes?.QueueArn,
        maxReceiveCount: queue.maxReceiveCount,
      });
      expect(Attributes?.VisibilityTimeout).toBe(String(visibilityTimeoutSecondsOf(queue)));
    },
  );
});
