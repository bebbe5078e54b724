import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSurveyRepository } from '../../../functions/adapters/survey-repository';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const surveys = createSurveyRepository(db, 'surveys');
const throttled = () => new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });

describe('discarding a survey whose e-mail failed', () => {
  beforeEach(() => {
    dynamo.reset();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  /** Runs a discard through its backoff waits without waiting for real. */
  const discard = async (token: string) => {
    const done = surveys.discard(token);
    done.catch(() => undefined);
    await vi.runAllTimersAsync();
    return done;
  };

  it('keeps trying through throttling that outlasts the SDK, so no unsent survey is left behind', async () => {
    dynamo.on(DeleteCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    await discard('token-1');
    const calls = dynamo.commandCalls(DeleteCommand);
    expect(calls).toHaveLength(3);
    expect(calls[0]?.args[0].input).toMatchObject({
      Key: { token: 'token-1' },
      ConditionExpression: '#status = :sending',
    });
  });

  it('leaves a survey that was sent meanwhile alone, and gives up on a lasting failure', async () => {
    dynamo
      .on(DeleteCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'sent', $metadata: {} }));
    await discard('token-2');
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(1);

    dynamo.reset();
    dynamo.on(DeleteCommand).rejects(throttled());
    await expect(discard('token-3')).rejects.toThrow('throttled');
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(6);

    // A failure that will not pass by waiting (a bad request, a missing permission) is not retried.
    dynamo.reset();
    dynamo
      .on(DeleteCommand)
      .rejects(Object.assign(new Error('no such table'), { name: 'ResourceNotFoundException' }));
    await expect(discard('token-4')).rejects.toThrow('no such table');
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(1);
  });
});

describe('the reminder’s link key', () => {
  beforeEach(() => dynamo.reset());

  it('is stored only on a survey that has none yet: the first writer wins', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    expect(await surveys.setReminderLinkKey('key-1', 'reminder-key-1')).toBe(true);
    expect(await surveys.setReminderLinkKey('key-1', 'reminder-key-2')).toBe(false);
    expect(dynamo.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { token: 'key-1' },
      UpdateExpression: 'SET reminderLinkKey = :key',
      ConditionExpression: 'attribute_exists(#token) AND attribute_not_exists(reminderLinkKey)',
      ExpressionAttributeValues: { ':key': 'reminder-key-1' },
    });
  });

  it('is taken back only when it is still the one stored', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'other', $metadata: {} }));

    await surveys.removeReminderLinkKey('key-1', 'reminder-key-1');

    expect(dynamodbCalls()).toEqual([['REMOVE reminderLinkKey', 'reminderLinkKey = :key']]);
  });

  it('finds its survey’s key through the byReminderLink index, or nothing', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ token: 'key-1', reminderLinkKey: 'reminder-key-1' }] })
      .resolvesOnce({ Items: [] });

    expect(await surveys.keyOfReminderLink('reminder-key-1')).toBe('key-1');
    expect(await surveys.keyOfReminderLink('reminder-key-2')).toBeUndefined();
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byReminderLink',
      KeyConditionExpression: 'reminderLinkKey = :key',
      ExpressionAttributeValues: { ':key': 'reminder-key-1' },
    });
  });
});

const dynamodbCalls = () =>
  dynamo
    .commandCalls(UpdateCommand)
    .map((call) => [call.args[0].input.UpdateExpression, call.args[0].input.ConditionExpression]);
