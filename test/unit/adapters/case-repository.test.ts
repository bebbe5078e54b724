import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCaseRepository } from '../../../functions/adapters/case-repository';
import { caseClosedEventOf } from '../../../functions/domain/webhooks';
import { anOpenCase } from '../../support/in-memory-cases';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const open = anOpenCase();
const read = {
  caseId: open.caseId,
  storeId: open.storeId,
  openedAt: open.openedAt,
  answeredAt: open.answeredAt,
  dueAt: open.dueAt,
};
const at = '2026-11-02T12:00:00.000Z';
const eventOf = () => caseClosedEventOf({ ...open, closedAt: at, resolution: { kind: 'apology' } });
const close = (repository: ReturnType<typeof createCaseRepository>) =>
  repository.closeCase(read, { kind: 'apology', by: open.owner }, at, 'close-0001', eventOf);

describe('closeCase', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(TransactWriteCommand).resolves({});
  });

  it('writes the case.closed event into the outbox in the same transaction as the close', async () => {
    expect(await close(createCaseRepository(db, 'cases', 'aggregates', 'webhook-events'))).toEqual({
      outcome: 'recorded',
    });
    const [call] = dynamo.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.TableName).toBe('cases');
    expect(items.at(-1)?.Put).toMatchObject({
      TableName: 'webhook-events',
      Item: { id: eventOf().id, type: 'case.closed', data: { caseId: open.caseId, resolution: 'apology' } },
      ConditionExpression: 'attribute_not_exists(id)',
    });
    expect(items.at(-1)?.Put?.Item?.expiration).toBeGreaterThan(Date.now() / 1000);
  });

  it('writes no event where the repository has no outbox', async () => {
    await close(createCaseRepository(db, 'cases', 'aggregates'));
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.some((item) => item.Put !== undefined)).toBe(false);
  });
});
