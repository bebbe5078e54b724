import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSurveyRepository } from '../../../functions/adapters/survey-repository';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const surveys = createSurveyRepository(db, 'surveys');
const throttled = () => new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });

describe('discarding a survey whose e-mail failed', () => {
  beforeEach(() => dynamo.reset());

  it('keeps trying through throttling that outlasts the SDK, so no unsent survey is left behind', async () => {
    dynamo.on(DeleteCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({});
    await surveys.discard('token-1');
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
    await surveys.discard('token-2');
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(1);

    dynamo.reset();
    dynamo.on(DeleteCommand).rejects(throttled());
    await expect(surveys.discard('token-3')).rejects.toThrow('throttled');
    expect(dynamo.commandCalls(DeleteCommand)).toHaveLength(6);
  }, 20_000);
});
