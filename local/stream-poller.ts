import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { asFunction, consoleLog } from './console-log';
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

/** What Lambda sends a stream's on-failure destination about a batch it gave up (the records stay in the stream). */
export interface GivenUpBatch {
  readonly requestContext: { functionName: string; condition: string; approximateInvokeCount: number };
  readonly DDBStreamBatchInfo: {
    streamArn: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    batchSize: number;
  };
}

/** Where a poller keeps its checkpoints across restarts (an event source mapping keeps its own). */
export interface StreamCheckpoints {
  load(streamArn: string): Readonly<Record<string, string>>;
  save(streamArn: string, checkpoints: Readonly<Record<string, string>>): void;
}

/**
 * Checkpoints in a JSON file beside DynamoDB Local's data, for `npm start --data-dir`: one entry per
 * stream (the Surveys and WebhookEvents streams share the file).
 */
export const fileCheckpoints = (path: string): StreamCheckpoints => {
  const read = (): Record<string, Record<string, string>> => {
    if (!existsSync(path)) return {};
    const saved = JSON.parse(readFileSync(path, 'utf8')) as {
      streams?: Record<string, Record<string, string>>;
      // The single-stream layout written before the WebhookEvents stream existed.
      streamArn?: string;
      shards?: Record<string, string>;
    };
    return saved.streams ?? (saved.streamArn === undefined ? {} : { [saved.streamArn]: saved.shards ?? {} });
  };
  return {
    load: (streamArn) => read()[streamArn] ?? {},
    save(streamArn, shards) {
      writeFileSync(path, `${JSON.stringify({ streams: { ...read(), [streamArn]: shards } }, null, 2)}\n`);
    },
  };
};

/**
 * An iterator that can no longer be read: expired (15 minutes in AWS), or pointing before the trim
 * horizon, which is what DynamoDB Local answers for a `TRIM_HORIZON` iterator taken while the shard
 * was still empty. An event source mapping takes a fresh one and goes on; so does the poller.
 */
const isLostIterator = (error: unknown) => {
  const name = (error as Error | undefined)?.name;
  return name === 'TrimmedDataAccessException' || name === 'ExpiredIteratorException';
};

interface ShardPosition {
  /** The iterator to read next; taken afresh when missing. */
  iterator?: string;
  /** The sequence number of the last record handed on (or given up), the checkpoint. */
  after?: string;
  /** A closed shard read to its end: nothing more will come. */
  done: boolean;
}

/**
 * Feeds a DynamoDB Local table stream to a Lambda handler the way an event source mapping does: reads
 * every shard from its start, applies the event filter, invokes the handler with batches, and retries
 * from the first failed record a handler reports (partial batch response). A batch that keeps failing
 * is given up after ten attempts and logged, as the stack would send it to its on-failure destination.
 * It keeps a checkpoint per shard, so an iterator that is lost (trimmed or expired) is replaced by one
 * right after the last record handed on: nothing is skipped and nothing is read twice.
 */
export const createStreamPoller = ({
  dynamodb,
  streams,
  tableName,
  functionName,
  filter,
  batchSize = 100,
  retryAttempts = 5,
  load,
  onGiveUp,
  checkpoints,
}: {
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  functionName: string;
  filter: FilterPattern;
  /** Records per invocation at most, as the event source mapping's batch size. */
  batchSize?: number;
  /** Retries of a failing batch before it is given up (sent to `onGiveUp`). */
  retryAttempts?: number;
  load: () => Promise<StreamHandler>;
  /** Receives the description of a batch given up, as the stack's on-failure destination does. */
  onGiveUp?: (description: GivenUpBatch) => Promise<void>;
  /** Resume after the records handed on before a restart; from the trim horizon without. */
  checkpoints?: StreamCheckpoints;
}) => {
  let handler: Promise<StreamHandler> | undefined;
  let streamArn: string | undefined;
  const shards = new Map<string, ShardPosition>();
  let running = false;
  let loop: Promise<void> | undefined;

  const refreshShards = async () => {
    if (streamArn === undefined) {
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      streamArn = Table?.LatestStreamArn;
      if (streamArn === undefined) throw new Error(`table ${tableName} has no stream`);
      for (const [shardId, after] of Object.entries(checkpoints?.load(streamArn) ?? {}))
        shards.set(shardId, { after, done: false });
    }
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (shard.ShardId !== undefined && !shards.has(shard.ShardId))
        shards.set(shard.ShardId, { done: false });
    }
  };

  const saveCheckpoints = () => {
    if (checkpoints === undefined || streamArn === undefined) return;
    const saved: Record<string, string> = {};
    for (const [shardId, { after }] of shards) if (after !== undefined) saved[shardId] = after;
    checkpoints.save(streamArn, saved);
  };

  /** An iterator right after the checkpoint, or at the trim horizon when nothing was read yet. */
  const iteratorFor = async (shardId: string, after: string | undefined) => {
    const request = { StreamArn: streamArn, ShardId: shardId };
    if (after !== undefined) {
      try {
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            ...request,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            SequenceNumber: after,
          }),
        );
        return ShardIterator;
      } catch (error) {
        if (!isLostIterator(error)) throw error;
        // The checkpoint itself was trimmed away (older than the stream's retention): go on from the
        // oldest record left, as an event source mapping does.
        consoleLog.warn(functionName, 'checkpoint trimmed from the stream; reading from the oldest record', {
          shardId,
        });
      }
    }
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ ...request, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    return ShardIterator;
  };

  const deliver = async (records: _Record[]) => {
    let pending = records as unknown as DynamoDBRecord[];
    for (let attempt = 1; pending.length > 0; attempt++) {
      handler ??= load();
      let failedFrom: number;
      try {
        const invoke = await handler;
        const result = await asFunction(functionName, () =>
          invoke({ Records: pending }, lambdaContext(functionName)),
        );
        const failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        failedFrom = pending.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
      } catch (error) {
        consoleLog.warn(functionName, 'the batch failed; will retry', { attempt, error });
        failedFrom = 0;
      }
      if (failedFrom < 0) return;
      if (attempt > retryAttempts) {
        consoleLog.error(functionName, 'gave up on stream records', {
          records: pending.length,
          attempts: attempt,
        });
        await onGiveUp?.({
          requestContext: {
            functionName,
            condition: 'RetryAttemptsExhausted',
            approximateInvokeCount: attempt,
          },
          DDBStreamBatchInfo: {
            streamArn: streamArn ?? '',
            startSequenceNumber: pending[0]?.dynamodb?.SequenceNumber ?? '',
            endSequenceNumber: pending.at(-1)?.dynamodb?.SequenceNumber ?? '',
            batchSize: pending.length,
          },
        });
        return;
      }
      pending = pending.slice(failedFrom);
      // Exponential backoff (0.1 s, 0.2 s, 0.4 s…): five retries outlast a few seconds' outage.
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** (attempt - 1), 5_000)));
    }
  };

  /** Reads one page of a shard (taking a new iterator if it lost its own); null when it lost both. */
  const readPage = async (shardId: string, position: ShardPosition) => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      position.iterator ??= await iteratorFor(shardId, position.after);
      if (position.iterator === undefined) return null;
      try {
        return await streams.send(new GetRecordsCommand({ ShardIterator: position.iterator, Limit: 100 }));
      } catch (error) {
        if (!isLostIterator(error)) throw error;
        consoleLog.debug(functionName, 'shard iterator lost; taking a new one', {
          shardId,
          after: position.after ?? 'trim horizon',
          reason: (error as Error).name,
        });
        position.iterator = undefined;
      }
    }
    return null;
  };

  /** Reads one page of a shard and hands its matching records on; returns how many it read. */
  const readShard = async (shardId: string, position: ShardPosition): Promise<number> => {
    const page = await readPage(shardId, position);
    if (page === null) return 0;
    const { Records = [], NextShardIterator } = page;
    const matching = Records.filter((record) => matchesFilter(record, filter));
    for (let start = 0; start < matching.length; start += batchSize)
      await deliver(matching.slice(start, start + batchSize));
    const last = Records.at(-1)?.dynamodb?.SequenceNumber;
    if (last !== undefined) {
      position.after = last;
      saveCheckpoints();
    }
    position.iterator = NextShardIterator;
    position.done = NextShardIterator === undefined;
    return Records.length;
  };

  /** Reads every shard once; returns how many records it read (matching the filter or not). */
  const pollOnce = async (): Promise<number> => {
    await refreshShards();
    let read = 0;
    for (const [shardId, position] of shards) {
      if (!position.done) read += await readShard(shardId, position);
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
            if (running) consoleLog.error(functionName, 'stream polling failed', { error });
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
