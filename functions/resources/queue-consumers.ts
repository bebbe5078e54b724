import { type FunctionManifest, timeoutSecondsOf } from './function-manifest';
import { functionManifests } from './manifests';
import type { QueueDefinition } from './queues';

/**
 * AWS's guidance for a queue feeding a Lambda function: a visibility timeout of at least six times
 * the function's timeout, so that a message is not handed out again while a batch that holds it may
 * still be running (or being retried by Lambda after a throttle).
 */
export const visibilityTimeoutFactor = 6;

/** SQS's own default, for a queue no function consumes. */
const sqsDefaultVisibilityTimeoutSeconds = 30;

/** The functions an SQS event source mapping feeds from `queue`. */
export const consumersOf = (
  queue: QueueDefinition,
  manifests: readonly FunctionManifest[] = functionManifests,
): readonly FunctionManifest[] =>
  manifests.filter(({ trigger }) => trigger.kind === 'queue' && trigger.queue.id === queue.id);

/**
 * A queue's visibility timeout, from its consumers' manifests: six times the longest consumer
 * timeout, so a change to a function's timeout moves its queue's with it (stack and local runtime).
 */
export const visibilityTimeoutSecondsOf = (
  queue: QueueDefinition,
  manifests: readonly FunctionManifest[] = functionManifests,
): number => {
  const timeouts = consumersOf(queue, manifests).map(timeoutSecondsOf);
  return timeouts.length === 0
    ? sqsDefaultVisibilityTimeoutSeconds
    : visibilityTimeoutFactor * Math.max(...timeouts);
};
