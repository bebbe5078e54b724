import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConcurrentCustomerChangeError,
  createCustomerRepository,
} from '../../../functions/adapters/customer-repository';
import { DuplicateEmailError } from '../../../functions/domain/errors';
import type { CustomerProfile } from '../../../functions/schemas/customer';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const repository = createCustomerRepository(db, { customers: 'customers', customerEmails: 'emails' });
const now = '2026-11-23T09:00:00.000Z';
const ada: CustomerProfile = {
  customerId: 'C1',
  email: 'ada@example.com',
  firstName: 'Ada',
  storeId: 'S1',
  locale: 'en',
  attributes: {},
};

const cancelled = (codes: string[], ownerOfEmail?: string) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code, index) => ({
      Code,
      ...(index === 0 && ownerOfEmail && { Item: { customerId: { S: ownerOfEmail } } }),
    })),
  });

beforeEach(() => dynamo.reset());

describe('customer repository', () => {
  it('creates a subscribed customer and claims its e-mail in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await repository.create(ada, now, '2026-12-01T10:00:00.000Z');
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put).toMatchObject({
      TableName: 'emails',
      Item: { email: 'ada@example.com', customerId: 'C1' },
      ConditionExpression: 'attribute_not_exists(email) OR customerId = :customerId',
    });
    expect(items[1]?.Put).toMatchObject({
      TableName: 'customers',
      Item: {
        customerId: 'C1',
        contactStatus: 'subscribed',
        nextSurveyAt: '2026-12-01T10:00:00.000Z',
        dueShard: expect.stringMatching(/^\d+$/),
        surveyHistory: [],
        createdAt: now,
      },
      ConditionExpression: 'attribute_not_exists(customerId)',
    });
  });

  it('reports the owner of an e-mail that another customer holds', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None'], 'C9'));
    const attempt = repository.create(ada, now, '2026-12-01T10:00:00.000Z');
    await expect(attempt).rejects.toBeInstanceOf(DuplicateEmailError);
    await expect(attempt).rejects.toThrow('e-mail ada@example.com already belongs to customer C9');
  });

  it('signals a concurrent change when the customer appeared meanwhile', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    await expect(repository.create(ada, now, '2026-12-01T10:00:00.000Z')).rejects.toBeInstanceOf(
      ConcurrentCustomerChangeError,
    );
  });

  it('updates only the profile fields, removing names that became empty', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await repository.updateProfile({ ...ada, firstName: undefined }, now);
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    const touched = Object.values(input?.ExpressionAttributeNames ?? {});
    expect(touched).toEqual([
      'email',
      'firstName',
      'lastName',
      'storeId',
      'locale',
      'phone',
      'timezone',
      'attributes',
      'updatedAt',
    ]);
    expect(touched).not.toContain('contactStatus');
    expect(input?.UpdateExpression).toMatch(/REMOVE #f1, #f2, #f5, #f6$/);
    expect(input?.ConditionExpression).toBe('email = :expectedEmail');
  });

  it('moves an e-mail: claims the new address, updates the customer and releases the old address', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await repository.changeEmail({ ...ada, email: 'countess@example.com' }, 'ada@example.com', now);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => Object.keys(item)[0])).toEqual(['Put', 'Update', 'Delete']);
    expect(items[2]?.Delete?.Key).toEqual({ email: 'ada@example.com' });
  });

  it('retries keys that a batch read left unprocessed', async () => {
    const stored = { ...ada, contactStatus: 'subscribed', surveyHistory: [], createdAt: now, updatedAt: now };
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { customers: [] },
        UnprocessedKeys: { customers: { Keys: [{ customerId: 'C1' }] } },
      })
      .resolvesOnce({ Responses: { customers: [stored] } });
    const found = await repository.getMany(['C1']);
    expect(found.get('C1')?.email).toBe('ada@example.com');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
  });
});
