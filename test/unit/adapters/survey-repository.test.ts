import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
