import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCaseRepository } from '../../../functions/adapters/case-repository';
import { isStorableKey } from '../../../functions/adapters/dynamodb';
import { createExportRepository } from '../../../functions/adapters/export-repository';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
});

describe('isStorableKey', () => {
  it('accepts a key of up to 2,048 bytes of UTF-8', () => {
    expect(isStorableKey('c'.repeat(2048))).toBe(true);
    expect(isStorableKey('é'.repeat(1024))).toBe(true);
  });

  it('refuses an empty key and one longer than DynamoDB takes', () => {
    expect(isStorableKey('')).toBe(false);
    expect(isStorableKey('c'.repeat(2049))).toBe(false);
    expect(isStorableKey('é'.repeat(1025))).toBe(false);
  });
});

describe('looking up an id from a request', () => {
  it('finds no case with an id no table can hold, without asking DynamoDB', async () => {
    const cases = createCaseRepository(db, 'cases');
    expect(await cases.get('c'.repeat(3000))).toBeUndefined();
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
    expect(await cases.get('known-shape')).toBeUndefined();
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('finds no export job with an id no table can hold, without asking DynamoDB', async () => {
    const jobs = createExportRepository(db, 'exports');
    expect(await jobs.get('é'.repeat(1500))).toBeUndefined();
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });
});
