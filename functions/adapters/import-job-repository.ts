import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ImportJob } from '../schemas/bulk-import';
import type { ImportSummary } from '../use-cases/csv-import';
import { isConditionFailure } from './dynamodb';

const toJob = (item: Record<string, unknown>): ImportJob =>
  ImportJob.parse({
    ...item,
    countedChunks: item.countedChunks && [...(item.countedChunks as Set<number>)].sort((a, b) => a - b),
    rejectChunks: item.rejectChunks && [...(item.rejectChunks as Set<number>)].sort((a, b) => a - b),
  });

/** Bulk import jobs in DynamoDB; each chunk's counts are added once, whatever the redeliveries. */
export const createImportJobRepository = (db: DynamoDBDocumentClient, table: string) => ({
  async get(jobId: string): Promise<ImportJob | undefined> {
    const { Item } = await db.send(
      new GetCommand({ TableName: table, Key: { jobId }, ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toJob(Item);
  },

  /** Stores a new job; false when the job exists already (the same file's event delivered again). */
  async create(job: ImportJob): Promise<boolean> {
    try {
      await db.send(
        new PutCommand({ TableName: table, Item: job, ConditionExpression: 'attribute_not_exists(jobId)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  /**
   * Adds a chunk's counts to the job, unless that chunk was counted already. Returns the job as it is
   * afterwards and whether this call counted the chunk.
   */
  async countChunk(
    jobId: string,
    chunk: number,
    summary: ImportSummary,
  ): Promise<{ counted: boolean; job: ImportJob }> {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { jobId },
          UpdateExpression:
            'ADD countedChunks :chunk, chunksDone :one, #read :read, created :created, updated :updated, ' +
            `unchanged :unchanged, rejected :rejected${summary.rejected > 0 ? ', rejectChunks :chunk' : ''}`,
          ConditionExpression: 'attribute_exists(jobId) AND NOT contains(countedChunks, :chunkNumber)',
          ExpressionAttributeNames: { '#read': 'read' },
          ExpressionAttributeValues: {
            ':chunk': new Set([chunk]),
            ':chunkNumber': chunk,
            ':one': 1,
            ':read': summary.read,
            ':created': summary.created,
            ':updated': summary.updated,
            ':unchanged': summary.unchanged,
            ':rejected': summary.rejected,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { counted: true, job: toJob(Attributes ?? {}) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const job = await this.get(jobId);
      if (job === undefined) throw new Error(`import job ${jobId} not found`);
      return { counted: false, job };
    }
  },

  /** Marks the job done (or failed), once; false if it was already. */
  async finish(
    jobId: string,
    outcome: { status: 'done'; rejectsKey?: string } | { status: 'failed'; failure: string },
    at: string,
  ): Promise<boolean> {
    const fields: Record<string, unknown> = { ...outcome, finishedAt: at };
    const names = Object.keys(fields);
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { jobId },
          UpdateExpression: `SET ${names.map((_, index) => `#f${index} = :v${index}`).join(', ')}`,
          ConditionExpression: '#status = :importing',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...Object.fromEntries(names.map((name, index) => [`#f${index}`, name])),
          },
          ExpressionAttributeValues: {
            ':importing': 'importing',
            ...Object.fromEntries(names.map((name, index) => [`:v${index}`, fields[name]])),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
});

export type ImportJobRepository = ReturnType<typeof createImportJobRepository>;
