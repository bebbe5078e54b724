import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStoreRepository } from '../../../functions/adapters/store-repository';

const db = mockClient(DynamoDBDocumentClient);
beforeEach(() => db.reset());

const stores = () => createStoreRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'Stores');
const profile = {
  storeId: 'S1',
  name: 'Lyon',
  managerEmail: 'new@x.co',
  regionalManagerEmail: 'r@x.co',
  timezone: 'Europe/Paris',
};
const conditionFailed = () => Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' });

describe('store account bindings', () => {
  it('removes the binding of a role whose address an import changed, and keeps the others', async () => {
    db.on(UpdateCommand).resolvesOnce({
      Attributes: {
        createdAt: '2026-01-01T00:00:00.000Z',
        managerEmail: 'old@x.co',
        managerAccount: { sub: 'old-sub', email: 'old@x.co' },
        regionalManagerEmail: 'r@x.co',
        regionalManagerAccount: { sub: 'r-sub', email: 'r@x.co' },
      },
    });

    expect(await stores().upsert(profile, '2026-02-01T00:00:00.000Z')).toBe('updated');

    const [, unbind, ...more] = db.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(more).toEqual([]);
    expect(unbind).toMatchObject({
      Key: { storeId: 'S1' },
      UpdateExpression: 'REMOVE #binding',
      ExpressionAttributeNames: { '#binding': 'managerAccount', '#address': 'managerEmail' },
      ExpressionAttributeValues: { ':sub': 'old-sub', ':email': 'old@x.co' },
    });
  });

  it('writes nothing more for a new store or an unchanged address', async () => {
    db.on(UpdateCommand).resolves({
      Attributes: {
        createdAt: 'x',
        managerEmail: 'new@x.co',
        managerAccount: { sub: 's', email: 'new@x.co' },
      },
    });
    await stores().upsert(profile, '2026-02-01T00:00:00.000Z');
    db.on(UpdateCommand).resolves({});
    expect(await stores().upsert(profile, '2026-02-01T00:00:00.000Z')).toBe('created');
    expect(db.commandCalls(UpdateCommand)).toHaveLength(2);
  });

  it('binds only while the role has the address the account was found for', async () => {
    db.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    const binding = { sub: 'new-sub', email: 'new@x.co' };
    expect(await stores().bindAccount('S1', 'manager', binding)).toBe(true);
    expect(await stores().bindAccount('S1', 'manager', binding)).toBe(false);
    expect(db.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'SET #binding = :binding',
      ConditionExpression: '#address = :address',
      ExpressionAttributeNames: { '#binding': 'managerAccount', '#address': 'managerEmail' },
      ExpressionAttributeValues: { ':binding': binding, ':address': 'new@x.co' },
    });
  });
});
