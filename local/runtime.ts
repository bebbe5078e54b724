import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '../functions/adapters/task-queue';
import type { FunctionManifest, QueueTrigger, StreamTrigger } from '../functions/resources/function-manifest';
import { functionManifests } from '../functions/resources/manifests';
import { asFunction, consoleLog } from './console-log';
import { lambdaContext } from './lambda-context';
import { createQueuePoller, type QueuePoller } from './queue-poller';
import { createStreamPoller, type FilterPattern, type StreamCheckpoints } from './stream-poller';

/** Imports a handler module when first needed, so the environment is complete before it reads it. */
const handlerOf =
  <Handler>(name: string) =>
  async () =>
    ((await import(`../functions/handlers/${name}.ts`)) as { handler: Handler }).handler;

/**
 * The consumers by the name tests and tools use: the queue's (`invitations`, `followUps`…) for a queue
 * trigger, the function's (`answerStream`) for a stream trigger.
 */
export type ConsumerName =
  | 'invitations'
  | 'sesFeedback'
  | 'answers'
  | 'followUps'
  | 'chatPosts'
  | 'exports'
  | 'answerStream'
  | 'webhooks'
  | 'webhookEvents';

const lowerCamel = (id: string) => `${id.charAt(0).toLowerCase()}${id.slice(1)}`;
const consumerNameOf = (manifest: FunctionManifest & { trigger: QueueTrigger | StreamTrigger }) =>
  lowerCamel(manifest.trigger.kind === 'queue' ? manifest.trigger.queue.id : manifest.id) as ConsumerName;

type Poller = Pick<QueuePoller, 'start' | 'stop' | 'drain' | 'pollOnce'>;

/**
 * The event-driven functions of the stack, run locally from their manifests: each queue trigger, and
 * the stream trigger, feeds the same handler module that Lambda's event source mappings feed in AWS,
 * with the manifest's batch size and retries; a stream batch given up goes to the dead-letter queue
 * the manifest names, as the stack's on-failure destination does. The process environment must
 * already hold the functions' settings (the SDK endpoints among them).
 */
export const createQueueConsumers = (
  env: Readonly<Record<string, string>>,
  { checkpoints }: { checkpoints?: StreamCheckpoints } = {},
) => {
  const sqs = createSqsClient({});
  const consumers = {} as Record<ConsumerName, Poller>;
  for (const manifest of functionManifests) {
    const { trigger, handler } = manifest;
    if (trigger.kind === 'queue') {
      const queueUrl = env[trigger.queue.envVar];
      if (queueUrl === undefined) throw new Error(`no queue URL for ${handler} (${trigger.queue.envVar})`);
      consumers[consumerNameOf({ ...manifest, trigger })] = createQueuePoller({
        sqs,
        queueUrl,
        functionName: handler,
        batchSize: trigger.batchSize,
        load: handlerOf(handler),
      });
    }
    if (trigger.kind === 'stream') {
      const deadLetterUrl = env[trigger.onFailure.deadLetterEnvVar];
      consumers[consumerNameOf({ ...manifest, trigger })] = createStreamPoller({
        dynamodb: new DynamoDBClient({}),
        streams: new DynamoDBStreamsClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
        tableName: env[trigger.table.envVar] ?? '',
        functionName: handler,
        filter: trigger.filter as FilterPattern,
        batchSize: trigger.batchSize,
        retryAttempts: trigger.retryAttempts,
        load: handlerOf(handler),
        onGiveUp: async (description) => {
          if (deadLetterUrl === undefined) return;
          await sqs.send(
            new SendMessageCommand({ QueueUrl: deadLetterUrl, MessageBody: JSON.stringify(description) }),
          );
        },
        ...(checkpoints && { checkpoints }),
      });
    }
  }
  return {
    ...consumers,
    start: () => {
      for (const poller of Object.values(consumers)) poller.start();
    },
    stop: () => Promise.all(Object.values(consumers).map((poller) => poller.stop())),
  };
};

type ScheduledHandler = (
  event: { time: string },
  context: ReturnType<typeof lambdaContext>,
) => Promise<unknown>;

/**
 * The scheduled functions, run locally from their manifests: each every `locallyEveryMinutes` with the
 * real clock (EventBridge runs them in AWS), and once at start. `closeloop tick --now ISO` runs the
 * tick as of any instant.
 */
export const startSchedules = () => {
  const timers: NodeJS.Timeout[] = [];
  const runs: Promise<unknown>[] = [];
  for (const { trigger, handler: name } of functionManifests) {
    if (trigger.kind !== 'schedule') continue;
    const load = handlerOf<ScheduledHandler>(name);
    const run = () =>
      asFunction(name, async () => {
        try {
          await (await load())({ time: new Date().toISOString() }, lambdaContext(name));
        } catch (error) {
          consoleLog.error(name, 'scheduled run failed', { error });
        }
      });
    timers.push(setInterval(run, trigger.locallyEveryMinutes * 60_000));
    runs.push(run());
  }
  return {
    /** The first runs, started at once. */
    firstRuns: Promise.all(runs),
    stop: () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
};
