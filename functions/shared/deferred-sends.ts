import { SendDeferredError } from '../adapters/mailer';
import type { TaskQueue } from '../adapters/task-queue';
import { deferralDelaySeconds, MAX_DEFERRALS } from '../domain/pacing';

export interface DeferredSend {
  readonly outcome: 'deferred';
  readonly reason: 'paced' | 'throttled';
  readonly deferrals: number;
  readonly delaySeconds: number;
}

/**
 * Runs a task whose send may be deferred for lack of SES sending rate (a `SendDeferredError`): such a
 * task is sent again to its queue, as a new message with a delay and one more `deferrals`, and the
 * run succeeds, so the message received is deleted. Waiting for the rate thus never adds to a
 * message's receive count, and repeated throttling cannot move it to the dead-letter queue. The task
 * must be idempotent: should the original stay (the deletion failing), both copies run, and one sends.
 * After `MAX_DEFERRALS` deferrals, or if the queue refuses the new message, the error goes on to the
 * usual retries.
 */
export const deferringSends =
  <Task extends { readonly deferrals?: number | undefined }, Result>(
    handle: (task: Task) => Promise<Result>,
    { queue, retryBaseSeconds }: { queue: Pick<TaskQueue, 'sendLater'>; retryBaseSeconds: number },
  ) =>
  async (task: Task): Promise<Result | DeferredSend> => {
    try {
      return await handle(task);
    } catch (error) {
      const deferrals = task.deferrals ?? 0;
      if (!(error instanceof SendDeferredError) || deferrals >= MAX_DEFERRALS) throw error;
      const delaySeconds = deferralDelaySeconds(error.reason, deferrals, retryBaseSeconds);
      await queue.sendLater({ ...task, deferrals: deferrals + 1 }, delaySeconds);
      return { outcome: 'deferred', reason: error.reason.kind, deferrals: deferrals + 1, delaySeconds };
    }
  };
