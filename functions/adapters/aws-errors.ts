/**
 * How AWS SDK errors are told apart, from their shape only (name, code, fault, cancellation reasons):
 * importing no client, so that the handlers without one (health, pages) do not bundle it.
 */

const throttlingErrors = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'TransactionInProgressException',
  'TimeoutError',
]);
const networkErrors = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * A DynamoDB transaction cancelled only because another one was writing one of its items at that
 * moment (`TransactionConflict`): nothing was written, and it may simply be tried again.
 */
export const isOnlyConflicts = (error: unknown): boolean => {
  const { name, CancellationReasons } = (error ?? {}) as {
    name?: string;
    CancellationReasons?: readonly { Code?: string }[];
  };
  if (name !== 'TransactionCanceledException') return false;
  const codes = (CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  return (
    codes.includes('TransactionConflict') &&
    codes.every((code) => code === 'None' || code === 'TransactionConflict')
  );
};

/**
 * Whether a failure passes by itself, once the SDK's own retries ran out: throttling, a transaction
 * conflict, a fault on the service's side, the network. The client is told to try again.
 */
export const isPassingFailure = (error: unknown): boolean => {
  const { name, code, $fault } = (error ?? {}) as { name?: string; code?: string; $fault?: string };
  return (
    $fault === 'server' ||
    throttlingErrors.has(name ?? '') ||
    networkErrors.has(code ?? '') ||
    isOnlyConflicts(error)
  );
};
