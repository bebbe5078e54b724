import type { Once } from '../../functions/adapters/idempotency';
import type { OutgoingEmail } from '../../functions/adapters/mailer';
import type { WebhookEvent } from '../../functions/domain/webhooks';

/**
 * The side effects a use case runs through its ports, in memory: the `once` idempotency wrapper, the
 * mailer and task queues. Each records what went out, and can be told to fail, so a test sees what
 * a crash between two steps leaves behind and what the retry does.
 */

/**
 * `once` as Powertools idempotency does it: a key that completed returns its first result without
 * running the work again; work that throws leaves no record, so its retry runs for real.
 */
export const createOnce = () => {
  const results = new Map<string, Record<string, unknown>>();
  const once = (async <Result extends Record<string, unknown>>(key: string, work: () => Promise<Result>) => {
    const done = results.get(key);
    if (done !== undefined) return structuredClone(done) as Result;
    const result = await work();
    results.set(key, structuredClone(result));
    return result;
  }) as Once;
  return { once, keys: () => [...results.keys()] };
};

/** A mailer that keeps every e-mail sent; `failNext` makes the next sends throw instead. */
export const createMailer = () => {
  const sent: OutgoingEmail[] = [];
  let failures: Error[] = [];
  return {
    sent,
    failNext: (...errors: Error[]) => {
      failures = errors;
    },
    mailer: {
      send: async (email: OutgoingEmail) => {
        const failure = failures.shift();
        if (failure !== undefined) throw failure;
        sent.push(structuredClone(email));
        return { messageId: `message-${sent.length}` };
      },
    },
  };
};

/** A task queue that keeps every task sent; `failNext` makes the next sends throw instead. */
export const createTaskQueue = <Task = unknown>() => {
  const sent: Task[] = [];
  /** The delay of each task sent with `sendLater`, in order. */
  const delays: number[] = [];
  let failures: Error[] = [];
  return {
    sent,
    delays,
    failNext: (...errors: Error[]) => {
      failures = errors;
    },
    queue: {
      sendAll: async (tasks: readonly unknown[]) => {
        const failure = failures.shift();
        if (failure !== undefined) throw failure;
        sent.push(...(structuredClone(tasks) as Task[]));
      },
      sendLater: async (task: unknown, delaySeconds: number) => {
        const failure = failures.shift();
        if (failure !== undefined) throw failure;
        sent.push(structuredClone(task) as Task);
        delays.push(delaySeconds);
      },
    },
  };
};

/** A clock standing at `iso` until moved. */
export const fixedClock = (iso: string) => {
  let now = new Date(iso);
  return {
    clock: () => new Date(now.getTime()),
    set: (next: string) => {
      now = new Date(next);
    },
  };
};

/** A webhook outbox that keeps each event once, by id, as the WebhookEvents table does. */
export const createWebhookOutbox = () => {
  const events = new Map<string, WebhookEvent>();
  return {
    events: () => [...events.values()],
    outbox: {
      record: async (...recorded: readonly WebhookEvent[]) =>
        recorded.map((event) => {
          if (events.has(event.id)) return false;
          events.set(event.id, structuredClone(event));
          return true;
        }),
    },
  };
};
