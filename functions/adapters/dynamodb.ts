import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { isOnlyConflicts, isPassingFailure } from './aws-errors';

/**
 * A DynamoDB document client. In Lambda and `npm start` the endpoint comes from the standard
 * `AWS_ENDPOINT_URL_DYNAMODB` variable (unset in AWS); tools may pass one explicitly.
 */
export const createDocumentClient = (config: DynamoDBClientConfig = {}): DynamoDBDocumentClient =>
  documentClientFor(new DynamoDBClient(config));

/** The document client over an existing low-level client (for libraries that want the latter too). */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

/** Every item of a small table (a registry of a handful of rows), page after page. */
export const scanAll = async (db: DynamoDBDocumentClient, tableName: string) => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

/** DynamoDB's limit on a partition key value, in bytes of UTF-8. */
const MAX_PARTITION_KEY_BYTES = 2048;

/**
 * Whether a string can be a partition key at all. An id taken from a request (a path, a query) that
 * cannot is in no table: look-ups answer "not found" without asking DynamoDB, which would refuse it.
 */
export const isStorableKey = (value: string) =>
  value !== '' && Buffer.byteLength(value, 'utf8') <= MAX_PARTITION_KEY_BYTES;

/** Splits a list into chunks of at most `size` items (DynamoDB batch limits). */
export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
};

/** Exponential backoff with full jitter, for retrying unprocessed batch items. */
export const backoff = (attempt: number, baseMs = 50, capMs = 2_000): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(capMs, baseMs * 2 ** attempt)));

/** Attempts, each with the SDK's own retries, at a write that closes a side effect. */
const closingAttempts = 6;

/**
 * Tries a write that must not be left undone for longer than the SDK does (seconds of throttling or
 * an outage): the writes that close a side effect, after which nothing would come back to them.
 * Only failures that pass are tried again; only for writes that are safe to repeat.
 */
export const persistently = async (write: () => Promise<void>): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= closingAttempts || !isPassingFailure(error)) throw error;
      await backoff(attempt, 100, 2_000);
    }
  }
};

/**
 * Builds an UpdateExpression that sets every defined field and removes every undefined one, with
 * placeholder names for all attributes (so reserved words such as `name` need no special care).
 * `setIfMissing` fields are written only when the item does not have them yet.
 */
export const updateFields = (
  fields: Readonly<Record<string, unknown>>,
  setIfMissing: Readonly<Record<string, unknown>> = {},
) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const entries = [
    ...Object.entries(fields).map(([field, value]) => ({ field, value, ifMissing: false })),
    ...Object.entries(setIfMissing).map(([field, value]) => ({ field, value, ifMissing: true })),
  ];
  entries.forEach(({ field, value, ifMissing }, index) => {
    const name = `#f${index}`;
    names[name] = field;
    if (value === undefined) {
      removes.push(name);
      return;
    }
    values[`:v${index}`] = value;
    sets.push(ifMissing ? `${name} = if_not_exists(${name}, :v${index})` : `${name} = :v${index}`);
  });
  const expression = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
};

/** Runs a conditional update; false when its condition refused it, any other error thrown. */
export const updateIf = async (db: DynamoDBDocumentClient, input: UpdateCommandInput): Promise<boolean> => {
  try {
    await db.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

/** A refused condition, on a single write or on any item of a transaction. */
export const isConditionFailure = (error: unknown) =>
  (error as Error).name === 'ConditionalCheckFailedException' ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed'));

/** A transaction cancelled by conflicting writes only (see `isOnlyConflicts`). */
export const isTransactionConflict = isOnlyConflicts;

/**
 * Runs a transaction, trying it again with jittered backoff while it conflicts with another one on
 * the same item (the `all` aggregates are written by every count and every invitation), up to
 * `attempts` times; any other error, or a conflict that outlasts them, is thrown.
 */
export const transactWrite = async (
  db: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  attempts = 8,
): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      await backoff(attempt, 25, 1_000);
    }
  }
};
