import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ExportJob } from '../schemas/export';
import { isStorableKey, updateIf } from './dynamodb';

/** Export jobs in the Exports table. */
export const createExportRepository = (db: DynamoDBDocumentClient, tableName: string) => ({
  async create(job: ExportJob): Promise<void> {
    await db.send(
      new PutCommand({ TableName: tableName, Item: job, ConditionExpression: 'attribute_not_exists(jobId)' }),
    );
  },

  async get(jobId: string): Promise<ExportJob | undefined> {
    if (!isStorableKey(jobId)) return undefined;
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: { jobId }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : ExportJob.parse(Item);
  },

  /** Marks a job running (again, on a retry or a redrive); false if it is already ready or unknown. */
  markRunning: (jobId: string, at: string) =>
    updateIf(db, {
      TableName: tableName,
      Key: { jobId },
      UpdateExpression: 'SET #status = :running, updatedAt = :at REMOVE failure',
      ConditionExpression: 'attribute_exists(jobId) AND #status <> :ready',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':running': 'running', ':ready': 'ready', ':at': at },
    }),

  markReady: (jobId: string, key: string, rows: number, at: string) =>
    updateIf(db, {
      TableName: tableName,
      Key: { jobId },
      UpdateExpression: 'SET #status = :ready, #key = :key, #rows = :rows, updatedAt = :at REMOVE failure',
      ConditionExpression: 'attribute_exists(jobId)',
      ExpressionAttributeNames: { '#status': 'status', '#key': 'key', '#rows': 'rows' },
      ExpressionAttributeValues: { ':ready': 'ready', ':key': key, ':rows': rows, ':at': at },
    }),

  /** Marks a job failed, with the reason its requester is shown; false if it is ready or unknown. */
  markFailed: (jobId: string, failure: string, at: string) =>
    updateIf(db, {
      TableName: tableName,
      Key: { jobId },
      UpdateExpression: 'SET #status = :failed, failure = :failure, updatedAt = :at',
      ConditionExpression: 'attribute_exists(jobId) AND #status <> :ready',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':failed': 'failed', ':ready': 'ready', ':failure': failure, ':at': at },
    }),
});

export type ExportRepository = ReturnType<typeof createExportRepository>;
