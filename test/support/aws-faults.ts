import type { InjectedResponse, ProxiedRequest, UpstreamResponse } from './fault-proxy';

/** A seeded pseudo-random source (LCG): the same shares of faults on every run. */
export const seededRandom = (seed: number) => {
  let state = seed % 2 ** 31;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
};

/** The operation of an AWS JSON-protocol request (`PutItem`, `SendMessageBatch`…), from its target. */
export const operationOf = (request: ProxiedRequest) =>
  String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';

/** Whether a request is DynamoDB's own API (not DynamoDB Streams). */
export const isDynamoDbApi = (request: ProxiedRequest) =>
  String(request.headers['x-amz-target'] ?? '').startsWith('DynamoDB_20120810.');

const dynamoDbError = (type: string, body: Record<string, unknown>): InjectedResponse => ({
  status: 400,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
  body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, ...body }),
});

/** DynamoDB refusing a request for lack of capacity (the SDK retries it, then gives up). */
export const dynamoDbThrottle = (): InjectedResponse =>
  dynamoDbError('ProvisionedThroughputExceededException', {
    message: 'The level of configured provisioned throughput for the table was exceeded (injected).',
  });

/** DynamoDB failing a request on its side (the SDK retries it, then gives up). */
export const dynamoDbServerError = (): InjectedResponse => ({
  status: 500,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'InternalServerError' },
  body: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error (injected).',
  }),
});

/**
 * DynamoDB cancelling a `TransactWriteItems` because another transaction was writing one of its
 * items at that moment: `TransactionConflict` on item `conflictIndex`, `None` on the others. The SDK
 * does not retry this.
 */
export const dynamoDbTransactionConflict = (request: ProxiedRequest, conflictIndex: number) => {
  const items = ((JSON.parse(request.body) as { TransactItems?: unknown[] }).TransactItems ?? []).length;
  const reasons = Array.from({ length: items }, (_, index) =>
    index === conflictIndex
      ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item (injected).' }
      : { Code: 'None' },
  );
  return dynamoDbError('TransactionCanceledException', {
    Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
      .map((reason) => reason.Code)
      .join(', ')}]`,
    CancellationReasons: reasons,
  });
};

/** The error type DynamoDB answered with (`ConditionalCheckFailedException`…), if any. */
export const dynamoDbErrorOf = (response: UpstreamResponse) =>
  response.status >= 400 ? (/#(\w+)/.exec(response.body)?.[1] ?? `HTTP ${response.status}`) : undefined;

/** SES refusing a send over its sending rate (the SDK retries it, then gives up). */
export const sesThrottle = (): InjectedResponse => ({
  status: 429,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
  body: JSON.stringify({ message: 'Maximum sending rate exceeded (injected).' }),
});

/** SES failing a send on its side, before accepting it. */
export const sesFailure = (): InjectedResponse => ({
  status: 500,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' },
  body: JSON.stringify({ message: 'Internal failure (injected).' }),
});

/** SQS failing a request on its side (JSON protocol). */
export const sqsFailure = (): InjectedResponse => ({
  status: 500,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InternalError;Receiver' },
  body: JSON.stringify({ __type: 'com.amazonaws.sqs#InternalError', message: 'Internal error (injected).' }),
});
