import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { runCli } from '../../cli/program';
import { createAnswerRepository } from '../../functions/adapters/answer-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { createTaskQueue } from '../../functions/adapters/task-queue';
import { createWebhookOutbox } from '../../functions/adapters/webhook-outbox';
import { createWebhookRepository } from '../../functions/adapters/webhook-repository';
import { createWebhookSender } from '../../functions/adapters/webhook-sender';
import type { Access } from '../../functions/domain/access';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { customerUnsubscribedEventOf, webhookEventTypes } from '../../functions/domain/webhooks';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { WebhookDeliveryTask } from '../../functions/schemas/webhooks';
import { answerSurvey } from '../../functions/use-cases/answer-survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { closeCase } from '../../functions/use-cases/manage-cases';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import {
  addWebhookEndpoint,
  rotateWebhookSecret,
  testWebhookEndpoint,
  webhookDeliveryLog,
} from '../../functions/use-cases/webhooks';
import { managerCasesWiring } from '../../functions/wiring/manager-cases';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { sentEmails } from '../support/ses-store';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

let stack: IsolatedStack;
let receiver: WebhookReceiver;
let api: Awaited<ReturnType<typeof startApiServer>>;
let domain: string;
const admin: Access = { kind: 'all-stores', user: 'admin@example.com', sub: 'sub-admin', role: 'admin' };

const endpoints = () =>
  createWebhookRepository(stack.db, {
    endpoints: stack.env.WEBHOOK_ENDPOINTS_TABLE ?? '',
    deliveries: stack.env.WEBHOOK_DELIVERIES_TABLE ?? '',
  });
const webhookAdmin = () => ({ endpoints: endpoints(), sender: createWebhookSender() });

/** Adds an endpoint delivering to a path of the receiver, which trusts its secret. */
const endpointAt = async (path: string, events: string[]) => {
  const { endpoint, secret } = await addWebhookEndpoint(
    webhookAdmin(),
    { url: receiver.url(path), events },
    { allowLoopbackHttp: true },
  );
  receiver.trust(path, secret);
  return { endpointId: endpoint.endpointId, secret };
};

/** Everything downstream of a change: counting, follow-up, the outbox's fan-out, the deliveries. */
const settle = async () => {
  await stack.consumers.answerStream.drain();
  await stack.consumers.followUps.drain();
  await stack.consumers.webhookEvents.drain();
  await stack.consumers.webhooks.drain();
};

const tokenFor = async (customer: string) => {
  const [email] = await sentEmails((to) => to === `${customer.toLowerCase()}@${domain}`);
  return /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email?.body.html ?? '')?.[1] ?? '';
};

const answer = async (customer: string, score: number, comment?: string) => {
  const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
  const answers = createAnswerRepository(stack.db, {
    surveys: stack.env.SURVEYS_TABLE ?? '',
    aggregates: '',
  });
  const token = await tokenFor(customer);
  await answerSurvey({ surveys, answers }, token, { score, comment, reasons: ['staff'], source: 'form' });
  await settle();
  return (await surveys.get(surveyKeyOf(token)))?.surveyId ?? '';
};

beforeAll(async () => {
  stack = await startIsolatedStack('webhooks');
  domain = `${stack.namespace}.example.com`;
  receiver = await startWebhookReceiver();
  api = await startApiServer({ port: 0 });
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon', `manager@${domain}`, `region@${domain}`, 'Europe/Paris'],
    ]),
    { stores: stack.stores },
  );
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...['D1', 'D2', 'P1', 'U1', 'F1', 'R1', 'X1'].map((id) => [
        id,
        `${id.toLowerCase()}@${domain}`,
        'Ada',
        'B',
        'S1',
        'en',
      ]),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
});

afterAll(async () => {
  await api?.stop();
  await receiver?.close();
  await stack?.stop();
});

describe('webhooks', () => {
  it('delivers each event type, signed, to the endpoints whose filter wants it', async () => {
    await endpointAt('/all', ['*']);
    await endpointAt('/cases', ['case.*']);

    const surveyId = await answer('D1', 2);
    await answer('D1', 3, 'Long queue');
    await closeCase(managerCasesWiring(), admin, surveyId, { resolution: 'apology', requestId: 'close-1' });
    await settle();
    const unsubscribed = await fetch(`${api.url}/u/${await tokenFor('U1')}`, { method: 'POST' });
    expect(unsubscribed.status).toBe(200);
    await settle();

    const all = receiver.at('/all');
    expect(all.every((delivery) => delivery.verified && delivery.status === 200)).toBe(true);
    expect(all.map((delivery) => delivery.event.type).sort()).toEqual([...webhookEventTypes].sort());
    expect(new Set(all.map((delivery) => delivery.event.id)).size).toBe(all.length);
    const byType = Object.fromEntries(all.map((delivery) => [delivery.event.type, delivery.event]));
    expect(byType['response.created']?.data).toMatchObject({
      surveyId,
      score: 2,
      category: 'detractor',
      version: 1,
    });
    expect(byType['response.changed']?.data).toMatchObject({
      surveyId,
      score: 3,
      previousScore: 2,
      comment: 'Long queue',
    });
    expect(byType['case.opened']?.data).toMatchObject({ caseId: surveyId, storeId: 'S1', score: 2 });
    expect(byType['case.closed']?.data).toMatchObject({
      caseId: surveyId,
      resolution: 'apology',
      contacted: false,
    });
    expect(byType['customer.unsubscribed']?.data).toMatchObject({ customerId: 'U1', reason: 'unsubscribed' });
    // Each body is exactly {id, type, createdAt, data}, with no e-mail address in it.
    for (const delivery of all) {
      expect(Object.keys(JSON.parse(delivery.body))).toEqual(['id', 'type', 'createdAt', 'data']);
      expect(delivery.body).not.toContain(`@${domain}`);
    }
    expect(
      receiver
        .at('/cases')
        .map((delivery) => delivery.event.type)
        .sort(),
    ).toEqual(['case.closed', 'case.opened']);
  });

  it('delivers case.closed with the close itself, even when the manager’s request fails after it', async () => {
    await endpointAt('/closed', ['case.closed']);
    const surveyId = await answer('X1', 1);
    // The close and its event are one transaction; a failure after it loses nothing.
    const failingAfterTheClose = {
      ...managerCasesWiring(),
      webhookEvents: { record: () => Promise.reject(new Error('outbox unreachable')) },
    };
    await expect(
      closeCase(failingAfterTheClose, admin, surveyId, { resolution: 'refund', requestId: 'close-x1' }),
    ).rejects.toThrow('outbox unreachable');
    await settle();
    expect(receiver.at('/closed').map((delivery) => delivery.event.data)).toEqual([
      expect.objectContaining({ caseId: surveyId, resolution: 'refund', contacted: false }),
    ]);
  });

  it('posts nothing for an answer that does not count, and one response.created for a promoter', async () => {
    const before = receiver.at('/all').length;
    await answer('P1', 10, 'Great');
    const after = receiver.at('/all').slice(before);
    expect(after.map((delivery) => delivery.event.type)).toEqual(['response.created']);
    expect(after[0]?.event.data).toMatchObject({ score: 10, category: 'promoter' });
  });

  it('delivers the same event once per endpoint however often it is recorded or queued again', async () => {
    const before = receiver.received.length;
    const repeated = customerUnsubscribedEventOf('U1', 'unsubscribed', new Date().toISOString());
    // Recorded again by a retried step: the outbox already holds it.
    const outbox = createWebhookOutbox(stack.db, stack.env.WEBHOOK_EVENTS_TABLE ?? '');
    expect(await outbox.record(repeated)).toEqual([false]);
    // A second unsubscribe click records nothing either.
    await fetch(`${api.url}/u/${await tokenFor('U1')}`, { method: 'POST' });
    // A delivery task queued twice (SQS delivers at least once) is posted once.
    const delivered = receiver.at('/all').find((delivery) => delivery.event.type === 'case.opened');
    const [endpoint] = (await endpoints().listAll()).filter((one) => one.url.endsWith('/all'));
    const task = WebhookDeliveryTask.parse({ endpointId: endpoint?.endpointId, event: delivered?.event });
    await createTaskQueue(stack.sqs, stack.env.WEBHOOKS_QUEUE_URL ?? '').sendAll([task, task]);
    await settle();
    expect(receiver.received.length).toBe(before);
  });

  it('retries a receiver that fails for a while with the same event id, until it takes it; the receiver processes it once', async () => {
    const { endpointId } = await endpointAt('/flaky', ['response.*']);
    receiver.failNext('/flaky', 3);
    await answer('D2', 1);
    const deliveries = receiver.at('/flaky');
    expect(deliveries.map((delivery) => delivery.status)).toEqual([500, 500, 500, 200]);
    expect(deliveries.every((delivery) => delivery.verified)).toBe(true);
    expect(new Set(deliveries.map((delivery) => delivery.event.id)).size).toBe(1);
    expect(deliveries.map((delivery) => delivery.body)).toEqual(Array(4).fill(deliveries[0]?.body));
    expect(receiver.processedAt('/flaky').map((event) => event.id)).toEqual([deliveries[0]?.event.id]);
    // The delivery log, newest first: each attempt with its number, status and duration.
    const log = await webhookDeliveryLog(webhookAdmin(), endpointId);
    expect(log.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [4, 200],
      [3, 500],
      [2, 500],
      [1, 500],
    ]);
    expect(
      log.every((attempt) => attempt.durationMs >= 0 && attempt.eventId === deliveries[0]?.event.id),
    ).toBe(true);
  });

  it('moves a delivery to the dead-letter queue after the last try of an endpoint that keeps failing', async () => {
    const { endpointId } = await endpointAt('/down', ['customer.unsubscribed']);
    receiver.failAlways('/down');
    await fetch(`${api.url}/u/${await tokenFor('F1')}`, { method: 'POST' });
    await settle();
    expect(receiver.at('/down').map((delivery) => delivery.status)).toEqual(Array(15).fill(500));
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.env.WEBHOOKS_DLQ_URL ?? '', MaxNumberOfMessages: 10 }),
    );
    const dead = Messages.map((message) => WebhookDeliveryTask.parse(JSON.parse(message.Body ?? '')));
    expect(dead).toEqual([
      expect.objectContaining({
        endpointId,
        event: expect.objectContaining({ type: 'customer.unsubscribed' }),
      }),
    ]);
    // The other endpoints got the event all the same.
    expect(receiver.at('/all').filter((delivery) => delivery.event.data.customerId === 'F1')).toHaveLength(1);
  });

  it('signs with the old and the new secret during a rotation’s grace period, and with the new one only after', async () => {
    const { endpointId, secret: old } = await endpointAt('/rotating', ['response.created']);
    const { secret: fresh } = await rotateWebhookSecret(webhookAdmin(), endpointId, 1);
    // A receiver that still holds the old secret and one that already holds the new one both verify.
    receiver.trust('/rotating', old);
    expect((await testWebhookEndpoint(webhookAdmin(), endpointId)).status).toBe(200);
    receiver.trust('/rotating', fresh);
    expect((await testWebhookEndpoint(webhookAdmin(), endpointId)).status).toBe(200);
    await answer('R1', 9);
    const [delivery] = receiver.at('/rotating').filter((one) => one.event.type === 'response.created');
    expect(delivery?.verified).toBe(true);
    expect(delivery?.signatureHeader.match(/v1=/g)).toHaveLength(2);
    // Grace ended: the old secret no longer verifies.
    await rotateWebhookSecret(webhookAdmin(), endpointId, 0);
    receiver.trust('/rotating', old, fresh);
    expect((await testWebhookEndpoint(webhookAdmin(), endpointId)).status).toBe(400);
  });
});

describe('closeloop webhooks', () => {
  it('adds, lists, tests, rotates, shows the log of and removes an endpoint, refusing what is wrong', async () => {
    const stateFile = stack.writeCliState();
    // In process (the same program `closeloop` runs), against this file's tables: a process per
    // command would cost seconds each.
    process.env.CLOSELOOP_STATE_FILE = stateFile;
    const cli = async (...args: string[]) => {
      const out = { stdout: '', stderr: '' };
      const code = await runCli(['node', 'closeloop', ...args], {
        stdout: { write: (text: string) => (out.stdout += text) },
        stderr: { write: (text: string) => (out.stderr += text) },
      });
      return { code, ...out };
    };

    const added = await cli('webhooks', 'add', '--url', receiver.url('/cli'), '--events', 'case.*', '--json');
    expect(added.stderr).toBe('');
    const { endpointId, secret } = JSON.parse(added.stdout) as { endpointId: string; secret: string };
    receiver.trust('/cli', secret);

    const listed = await cli('webhooks', 'list');
    expect(listed.stdout).toContain(endpointId);
    expect(listed.stdout).toContain('case.*');
    expect(listed.stdout).not.toContain(secret);

    expect((await cli('webhooks', 'test', endpointId)).stdout).toMatch(
      /^The endpoint took the test event \(HTTP 200/,
    );
    const rotated = await cli('webhooks', 'rotate', endpointId, '--grace-hours', '2', '--json');
    expect(JSON.parse(rotated.stdout)).toMatchObject({
      endpointId,
      activeSecrets: 2,
      secret: expect.stringMatching(/^whsec_/),
    });
    expect((await cli('webhooks', 'test', endpointId)).code).toBe(0);
    expect((await cli('webhooks', 'log', endpointId)).stdout).toBe('No delivery attempts yet.\n');

    const refused = await cli('webhooks', 'add', '--url', 'http://example.com/hook');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/url: must be an https:\/\/ URL/);
    expect(
      (await cli('webhooks', 'add', '--url', 'https://example.com/h', '--events', 'case.reopened')).stderr,
    ).toMatch(/events\.0: must be one of response\.created/);
    receiver.failAlways('/cli');
    const failing = await cli('webhooks', 'test', endpointId);
    expect(failing.code).toBe(2);
    expect(failing.stderr).toMatch(/answered HTTP 500/);

    expect((await cli('webhooks', 'remove', endpointId)).stdout).toBe(
      `Removed webhook endpoint ${endpointId}.\n`,
    );
    expect((await cli('webhooks', 'remove', endpointId)).stderr).toMatch(/no webhook endpoint/);
    delete process.env.CLOSELOOP_STATE_FILE;
  });
});
