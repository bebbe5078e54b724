import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isPassingFailure } from '../adapters/aws-errors';
import type { TaskQueue } from '../adapters/task-queue';
import { retryDelaySeconds } from '../domain/retry';
import { addLambdaContext, logger } from './powertools';

/**
 * A failure that is part of normal operation and passes on retry: throttling, a conflict, an outage,
 * or the same task already being handled by another delivery (SQS delivers at least once).
 */
const isExpectedRetry = (error: unknown) =>
  isPassingFailure(error) || (error as Error | undefined)?.name === 'IdempotencyAlreadyInProgressError';

/** Expected retries are logged at debug level (no alarm, no stack), anything else as a warning. */
const logRetry = (error: unknown, details: Record<string, unknown>) => {
  const log = isExpectedRetry(error) ? logger.debug : logger.warn;
  log('task failed; will retry', { ...details, error: error as Error });
};

export interface QueueConsumerOptions {
  /**
   * The queue the records come from, to postpone a failed record's next delivery with an exponential
   * backoff. Without it a failed record comes back after the queue's visibility timeout.
   */
  readonly queue?: Pick<TaskQueue, 'delay'>;
  readonly retryBaseSeconds?: number;
  /** The wait before the next try after `attempt` failed ones, instead of `retryDelaySeconds`'s. */
  readonly retryDelay?: (attempt: number) => number;
  /**
   * Handle a batch's records one after another, in the order received (default: all at once). For
   * tasks that read what earlier ones of the same batch write: a digest after that tick's escalations.
   */
  readonly inOrder?: boolean;
}

/**
 * An SQS consumer that reports partial batch failures: each record is handled on its own, a failed
 * record alone is retried (after an exponential backoff set on its visibility), and after the
 * queue's maxReceiveCount it moves to the dead-letter queue. Nothing is dropped or swallowed.
 */
export const queueConsumer = (
  handleRecord: (record: SQSRecord) => Promise<unknown>,
  options: QueueConsumerOptions,
) => {
  const processor = new BatchProcessor(EventType.SQS);
  const withBackoff = async (record: SQSRecord) => {
    try {
      return await handleRecord(record);
    } catch (error) {
      const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
      if (options.queue === undefined) {
        logRetry(error, { messageId: record.messageId, attempt });
        throw error;
      }
      const delay =
        options.retryDelay?.(attempt) ?? retryDelaySeconds(attempt, options.retryBaseSeconds ?? 30);
      logRetry(error, { messageId: record.messageId, attempt, delaySeconds: delay });
      await options.queue.delay(record.receiptHandle, delay).catch((delayError: unknown) => {
        logger.warn('could not postpone the retry', {
          messageId: record.messageId,
          error: delayError as Error,
        });
      });
      throw error;
    }
  };
  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    addLambdaContext(context);
    return processPartialResponse(event, withBackoff, processor, {
      context,
      processInParallel: !options.inOrder,
    });
  };
};
