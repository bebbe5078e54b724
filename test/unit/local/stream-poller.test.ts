import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createStreamPoller,
  fileCheckpoints,
  type GivenUpBatch,
  type StreamCheckpoints,
} from '../../../local/stream-poller';

const dynamodbMock = mockClient(DynamoDBClient);
const streamsMock = mockClient(DynamoDBStreamsClient);
const streamArn = 'arn:aws:dynamodb:local:0:table/Surveys/stream/1';

const record = (sequence: string) => ({
  eventName: 'MODIFY' as const,
  dynamodb: {
    SequenceNumber: sequence,
    Keys: { token: { S: `t${sequence}` } },
    NewImage: { answer: { S: 'x' } },
  },
});
const lost = (name: string) => Object.assign(new Error(name), { name });

/** A poller whose handler notes every sequence number it was given. */
const pollerWith = (checkpoints?: StreamCheckpoints) => {
  const delivered: string[] = [];
  const poller = createStreamPoller({
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
    streams: new DynamoDBStreamsClient({ region: 'us-east-1' }),
    tableName: 'Surveys',
    functionName: 'answer-stream',
    filter: { dynamodb: { NewImage: { answer: [{ exists: true }] } } },
    load: async () => async (event: DynamoDBStreamEvent) => {
      delivered.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ''));
      return { batchItemFailures: [] };
    },
    ...(checkpoints && { checkpoints }),
  });
  return { poller, delivered };
};

const iteratorRequests = () =>
  streamsMock.commandCalls(GetShardIteratorCommand).map(({ args: [{ input }] }) => ({
    type: input.ShardIteratorType,
    after: input.SequenceNumber,
  }));

beforeEach(() => {
  dynamodbMock.reset();
  streamsMock.reset();
  dynamodbMock.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: streamArn } });
  streamsMock.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: 'shard-1' }] } });
  streamsMock.on(GetShardIteratorCommand).callsFake(async (input) => ({
    ShardIterator: `${input.ShardIteratorType}:${input.SequenceNumber ?? ''}`,
  }));
});

describe('createStreamPoller', () => {
  it('takes a new iterator at the trim horizon when the one taken on an empty shard is refused', async () => {
    const { poller, delivered } = pollerWith();
    streamsMock
      .on(GetRecordsCommand)
      .rejectsOnce(lost('TrimmedDataAccessException'))
      .resolves({ Records: [record('1'), record('2')], NextShardIterator: 'next' });

    await poller.pollOnce();

    expect(delivered).toEqual(['1', '2']);
    expect(iteratorRequests()).toEqual([
      { type: 'TRIM_HORIZON', after: undefined },
      { type: 'TRIM_HORIZON', after: undefined },
    ]);
  });

  it('goes on right after the last record handed on when its iterator is lost, so nothing is read twice', async () => {
    const { poller, delivered } = pollerWith();
    streamsMock
      .on(GetRecordsCommand)
      .resolvesOnce({ Records: [record('1'), record('2')], NextShardIterator: 'next' })
      .rejectsOnce(lost('ExpiredIteratorException'))
      .resolvesOnce({ Records: [record('3')], NextShardIterator: 'next' })
      .resolves({ Records: [], NextShardIterator: 'next' });

    await poller.pollOnce();
    await poller.pollOnce();

    expect(delivered).toEqual(['1', '2', '3']);
    expect(iteratorRequests()).toEqual([
      { type: 'TRIM_HORIZON', after: undefined },
      { type: 'AFTER_SEQUENCE_NUMBER', after: '2' },
    ]);
  });

  it('resumes after the saved checkpoint on a restart, and saves the new one', async () => {
    const saved: Record<string, string>[] = [];
    const checkpoints: StreamCheckpoints = {
      load: (arn): Record<string, string> => (arn === streamArn ? { 'shard-1': '7' } : {}),
      save: (_arn, shards) => saved.push({ ...shards }),
    };
    const { poller, delivered } = pollerWith(checkpoints);
    streamsMock.on(GetRecordsCommand).resolves({ Records: [record('8')], NextShardIterator: 'next' });

    await poller.pollOnce();

    expect(iteratorRequests()).toEqual([{ type: 'AFTER_SEQUENCE_NUMBER', after: '7' }]);
    expect(delivered).toEqual(['8']);
    expect(saved).toEqual([{ 'shard-1': '8' }]);
  });

  it('reads from the oldest record left when the checkpoint itself was trimmed away', async () => {
    const { poller, delivered } = pollerWith({ load: () => ({ 'shard-1': '7' }), save: () => undefined });
    streamsMock
      .on(GetShardIteratorCommand, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' })
      .rejects(lost('TrimmedDataAccessException'));
    streamsMock.on(GetRecordsCommand).resolves({ Records: [record('40')], NextShardIterator: 'next' });

    await poller.pollOnce();

    expect(iteratorRequests().map((request) => request.type)).toEqual([
      'AFTER_SEQUENCE_NUMBER',
      'TRIM_HORIZON',
    ]);
    expect(delivered).toEqual(['40']);
  });

  it('still fails on any other error, so the loop reports it', async () => {
    const { poller } = pollerWith();
    streamsMock.on(GetRecordsCommand).rejects(lost('ResourceNotFoundException'));
    await expect(poller.pollOnce()).rejects.toThrow('ResourceNotFoundException');
  });

  it('gives a batch that keeps failing up after its retries, and describes it to the on-failure destination', async () => {
    const given: GivenUpBatch[] = [];
    let invocations = 0;
    const poller = createStreamPoller({
      dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
      streams: new DynamoDBStreamsClient({ region: 'us-east-1' }),
      tableName: 'Surveys',
      functionName: 'answer-stream',
      filter: {},
      retryAttempts: 2,
      load: async () => async () => {
        invocations++;
        throw new Error('DynamoDB is down');
      },
      onGiveUp: async (batch) => {
        given.push(batch);
      },
    });
    streamsMock
      .on(GetRecordsCommand)
      .resolves({ Records: [record('5'), record('6')], NextShardIterator: 'next' });

    await poller.pollOnce();

    expect(invocations).toBe(3);
    expect(given).toEqual([
      expect.objectContaining({
        DDBStreamBatchInfo: { streamArn, startSequenceNumber: '5', endSequenceNumber: '6', batchSize: 2 },
      }),
    ]);
  });
});

describe('fileCheckpoints', () => {
  it('keeps each stream’s checkpoints apart in one file, and reads the one-stream layout written before', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'closeloop-checkpoints-')), 'stream-checkpoints.json');
    writeFileSync(path, JSON.stringify({ streamArn: 'surveys', shards: { 'shard-1': '7' } }));
    const checkpoints = fileCheckpoints(path);
    expect(checkpoints.load('surveys')).toEqual({ 'shard-1': '7' });
    checkpoints.save('webhook-events', { 'shard-9': '3' });
    checkpoints.save('surveys', { 'shard-1': '8' });
    expect(checkpoints.load('surveys')).toEqual({ 'shard-1': '8' });
    expect(checkpoints.load('webhook-events')).toEqual({ 'shard-9': '3' });
    expect(checkpoints.load('another')).toEqual({});
  });
});
