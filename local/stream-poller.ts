import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from './lambda-context';

type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse | undefined>;

/** A Lambda event filter pattern, as far as we use them: nested objects ending in `[{ exists }]`. */
export type FilterPattern = {
  readonly [key: string]: FilterPattern | readonly { readonly exists: boolean }[];
};

/** Whether a record matches a filter pattern (the subset of EventBridge pattern syntax we use). */
export const matchesFilter = (value: unknown, pattern: FilterPattern): boolean =>
  Object.entries(pattern).every(([key, expected]) => {
    const actual = (value as Record<string, unknown> | undefined)?.[key];
    if (Array.isArray(expected)) return expected.some((rule) => (actual !== undefined) === rule.exists);
    return matchesFilter(actual, expected as FilterPattern);
  });

const MAX_ATTEMPTS = 10;

/**
 * Feeds a DynamoDB Local table stream to a Lambda handler the way an event source mapping does: reads
 * every shard from its start, applies the event filter, invokes the handler with batches, and retries
 * from the first failed record a handler reports (partial batch response). A batch that keeps failing
 * is given up after ten attempts and logged, as the stack would send it to its on-failure destination.
 */
export const createStreamPoller = ({
  dynamodb,
  streams,
  tableName,
  functionName,
  filter,
  load,
}: {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  functionName: string;
  filter: FilterPattern;
  load: () => Promise<StreamHandler>;
}) => {
  let handler: Promise<StreamHandler> | undefined;
  let streamArn: string | undefined;
  const iterators = new Map<string, string | undefined>();
  let running = false;
  let loop: Promise<void> | undefined;

  const refreshShards = async () => {
    if (streamArn === undefined) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      streamArn = Table?.LatestStreamArn;
      if (streamArn === undefined) throw new Error(`table ${tableName} has no stream`);
    }
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (shard.ShardId === undefined || iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      iterators.set(shard.ShardId, ShardIterator);
    }
  };

  const deliver = async (records: _Record[]) => {
    let pending = records as unknown as DynamoDBRecord[];
    for (let attempt = 1; pending.length > 0; attempt++) {
      handler ??= load();
      let failedFrom: number;
      try {
        const result = await (await handler)({ Records: pending }, lambdaContext(functionName));
        const failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        failedFrom = pending.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
      } catch (error) {
        console.error(`${functionName}: the batch failed: ${(error as Error).message}`);
        failedFrom = 0;
      }
      if (failedFrom < 0) return;
      if (attempt >= MAX_ATTEMPTS) {
        console.error(
          `${functionName}: giving up on ${pending.length} stream records after ${attempt} attempts`,
        );
        return;
      }
      pending = pending.slice(failedFrom);
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  };

  /** Reads every shard once; returns how many records it read (matching the filter or not). */
  const pollOnce = async (): Promise<number> => {
    await refreshShards();
    let read = 0;
    for (const [shardId, iterator] of iterators) {
      if (iterator === undefined) continue;
      const { Records = [], NextShardIterator } = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }),
      );
      iterators.set(shardId, NextShardIterator);
      const matching = Records.filter((record) => matchesFilter(record, filter));
      for (let start = 0; start < matching.length; start += 10)
        await deliver(matching.slice(start, start + 10));
      read += Records.length;
    }
    return read;
  };

  return {
    pollOnce,
    /** Processes until a full round over the shards finds nothing more, or fails after `timeoutMs`. */
    async drain(timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while ((await pollOnce()) > 0) {
        if (Date.now() > deadline)
          throw new Error(`${functionName}: stream not drained within ${timeoutMs} ms`);
      }
    },
    start() {
      running = true;
      loop = (async () => {
        while (running) {
          try {
            if ((await pollOnce()) === 0) await new Promise((resolve) => setTimeout(resolve, 250));
          } catch (error) {
            if (running) console.error(`${functionName}: stream polling failed`, error);
            await new Promise((resolve) => setTimeout(resolve, 1_000));
          }
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
    },
  };
};
