import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCaseRepository } from '../../../functions/adapters/case-repository';
import {
  ConcurrentCustomerChangeError,
  createCustomerRepository,
} from '../../../functions/adapters/customer-repository';
import { createSurveyRepository } from '../../../functions/adapters/survey-repository';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(DynamoDBDocumentClient);
const at = '2027-06-10T12:00:00.000Z';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const refused = () => new ConditionalCheckFailedException({ message: 'refused', $metadata: {} });
const updateInput = () => dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;

beforeEach(() => dynamo.reset());

describe('survey repository, for an erasure', () => {
  const surveys = createSurveyRepository(db, 'surveys');

  it('lists every token of a customer through the byCustomer index, page after page', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ token: 't1' }], LastEvaluatedKey: { token: 't1' } })
      .resolvesOnce({ Items: [{ token: 't2' }] });
    expect(await surveys.tokensOfCustomer('C1')).toEqual(['t1', 't2']);
    expect(dynamo.commandCalls(QueryCommand)[1]?.args[0].input).toMatchObject({
      IndexName: 'byCustomer',
      ExpressionAttributeValues: { ':customerId': 'C1' },
      ExclusiveStartKey: { token: 't1' },
    });
  });

  it('removes the comment of the answer and of every earlier answer, and the keys that hash them', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect(await surveys.anonymise('t1', { version: 2, hasAnswer: true, answers: 2 }, 'erased', at)).toBe(
      true,
    );
    const input = updateInput();
    expect(input?.UpdateExpression).toBe(
      'SET customerId = :replacement, erasedAt = if_not_exists(erasedAt, :at) REMOVE testimonialShard, ' +
        'commentStoreId, reminderShard, answerKey, followUpAnswerKey, answer.#comment, ' +
        'answers[0].#comment, answers[1].#comment',
    );
    expect(input?.ConditionExpression).toBe(
      'attribute_exists(#token) AND attribute_not_exists(countShard) AND attribute_not_exists(consent) AND version = :version',
    );
    expect(input?.ExpressionAttributeValues).toEqual({ ':replacement': 'erased', ':at': at, ':version': 2 });
  });

  it('names no comment for an unanswered survey (DynamoDB refuses unused names)', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await surveys.anonymise('t1', { version: undefined, hasAnswer: false, answers: 0 }, 'erased', at);
    const input = updateInput();
    expect(input?.ExpressionAttributeNames).toEqual({ '#token': 'token' });
    expect(input?.ConditionExpression).toMatch(/attribute_not_exists\(version\)$/);
  });

  it('says false when the survey changed since it was read', async () => {
    dynamo.on(UpdateCommand).rejects(refused());
    expect(await surveys.anonymise('t1', { version: 1, hasAnswer: true, answers: 1 }, 'erased', at)).toBe(
      false,
    );
  });

  it('closes a link only if it was open later than the erasure', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await surveys.close('t1', at);
    expect(updateInput()).toMatchObject({
      UpdateExpression: 'SET expiresAt = :at',
      ConditionExpression: 'attribute_exists(#token) AND expiresAt > :at',
    });
  });
});

describe('case repository, for an erasure', () => {
  const cases = createCaseRepository(db, 'cases');

  const nothingWritten = { notes: 0, calls: 0, callsWithNotes: [], resolution: 'none' } as const;

  it('empties the contact and phone, removes the comment and erases every note text it read', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect(
      await cases.anonymise(
        'sv1',
        { notes: 2, calls: 3, callsWithNotes: [0, 2], resolution: 'with-note' },
        'erased',
        '[erased]',
        at,
      ),
    ).toBe(true);
    const input = updateInput();
    expect(input?.UpdateExpression).toBe(
      'SET #customerId = :replacement, #customer.#name = :empty, #customer.#email = :empty, ' +
        '#customer.#attributes = :none, erasedAt = if_not_exists(erasedAt, :at), ' +
        '#notes[0].#text = :noteText, #notes[1].#text = :noteText, #calls[0].#note = :noteText, ' +
        '#calls[2].#note = :noteText, #resolution.#note = :noteText REMOVE #comment, #customer.#phone',
    );
    expect(input?.ConditionExpression).toBe(
      'attribute_exists(caseId) AND size(#notes) = :noteCount AND size(#calls) = :callCount AND attribute_exists(#resolution)',
    );
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':noteCount': 2,
      ':callCount': 3,
      ':noteText': '[erased]',
    });
  });

  it('refuses when a call or the resolution came after the read, and names no note text for a case without any', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await cases.anonymise('sv1', nothingWritten, 'erased', '[erased]', at);
    expect(updateInput()?.ConditionExpression).toBe(
      'attribute_exists(caseId) AND size(#notes) = :noteCount AND (attribute_not_exists(#calls) OR size(#calls) = :callCount) AND attribute_not_exists(#resolution)',
    );
    expect(Object.values(updateInput()?.ExpressionAttributeNames ?? {})).not.toContain('text');
    expect(updateInput()?.ExpressionAttributeValues).not.toHaveProperty(':noteText');
  });
});

describe('customer repository, for an erasure', () => {
  const customers = createCustomerRepository(db, { customers: 'customers', customerEmails: 'emails' });

  it('deletes the customer and releases its claim in one transaction, each on condition', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await customers.deleteWithClaim('C1', 'ada@example.com');
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => item.Delete)).toEqual([
      expect.objectContaining({
        TableName: 'emails',
        Key: { email: 'ada@example.com' },
        ConditionExpression: 'attribute_not_exists(email) OR customerId = :customerId',
      }),
      expect.objectContaining({
        TableName: 'customers',
        Key: { customerId: 'C1' },
        ConditionExpression: 'attribute_not_exists(customerId) OR email = :email',
      }),
    ]);
  });

  it('deletes the customer alone when another customer holds the address now', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});
    await customers.deleteWithClaim('C1', 'ada@example.com');
    const second = dynamo.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems ?? [];
    expect(second.map((item) => item.Delete?.TableName)).toEqual(['customers']);
  });

  it('signals a concurrent change when the address changed meanwhile', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
    await expect(customers.deleteWithClaim('C1', 'ada@example.com')).rejects.toBeInstanceOf(
      ConcurrentCustomerChangeError,
    );
  });
});
