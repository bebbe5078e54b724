import { describe, expect, it } from 'vitest';
import { functionManifests } from '../../../functions/resources/manifests';
import { queues } from '../../../functions/resources/queues';
import { tables } from '../../../functions/resources/tables';
import { createQueueConsumers } from '../../../local/runtime';

const env = Object.fromEntries([
  ...queues.flatMap((queue) => [
    [queue.envVar, `http://127.0.0.1:1/queue/${queue.id}`],
    [queue.deadLetterEnvVar, `http://127.0.0.1:1/queue/${queue.id}-dlq`],
  ]),
  ...tables.map((table) => [table.envVar, table.id]),
  ['AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:1'],
]);

describe('createQueueConsumers', () => {
  it('runs one poller per queue or stream trigger the manifests declare, and no other', () => {
    const { start: _start, stop: _stop, ...consumers } = createQueueConsumers(env);
    const triggered = functionManifests.filter(
      ({ trigger }) => trigger.kind === 'queue' || trigger.kind === 'stream',
    );
    expect(Object.keys(consumers).sort()).toEqual(
      [
        'answerStream',
        'answers',
        'chatPosts',
        'exports',
        'followUps',
        'importChunks',
        'importFiles',
        'invitations',
        'sesFeedback',
        'webhookEvents',
        'webhooks',
      ].sort(),
    );
    expect(Object.keys(consumers)).toHaveLength(triggered.length);
  });
});
