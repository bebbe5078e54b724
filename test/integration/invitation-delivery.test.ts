import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createTaskQueue } from '../../functions/adapters/task-queue';
import { addDays, addMonths } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import type { InvitationTask } from '../../functions/schemas/survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { startFaultyProxy } from '../support/faulty-proxy';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { localEnv } from '../support/local-stack';
import { header, sentEmails } from '../support/ses-store';

let stack: IsolatedStack;
let proxy: Awaited<ReturnType<typeof startFaultyProxy>>;
let api: Awaited<ReturnType<typeof startApiServer>>;
let domain: string;

const address = (id: string) => `${id.toLowerCase()}@${domain}`;
const mailTo = (id: string) => sentEmails((to) => to === address(id));
const dueSoon = () => addDays(new Date(), 30);

/** Imports customers (all due within four weeks), in store S1. */
const importSome = async (ids: readonly string[]) => {
  const rows = ids.map((id) => [id, address(id), 'Sam', 'Doe', 'S1', 'en']);
  const summary = await importCustomers(recordsOf([[...customerCsvColumns], ...rows]), {
    customers: stack.customers,
    stores: stack.stores,
  });
  expect(summary.created).toBe(ids.length);
};

const tickAndDrain = async (now: Date) => {
  const queued = await runTick(stack.schedule, now);
  await stack.consumers.invitations.drain(120_000);
  return queued;
};

const tokenIn = async (id: string) => {
  const [email] = await mailTo(id);
  return (
    /\/u\/([A-Za-z0-9_-]+)/.exec(
      header(email ?? ({ headers: [] } as never), 'List-Unsubscribe') ?? '',
    )?.[1] ?? ''
  );
};

beforeAll(async () => {
  proxy = await startFaultyProxy(localEnv().AWS_ENDPOINT_URL_SESV2 ?? '');
  stack = await startIsolatedStack('delivery', { AWS_ENDPOINT_URL_SESV2: proxy.url });
  domain = `${stack.namespace}.example.com`;
  api = await startApiServer({ port: 0 });
  await importStores(
    recordsOf([[...storeCsvColumns], ['S1', 'Lyon 1', 'm@stores.example.com', '', 'Europe/Paris']]),
    {
      stores: stack.stores,
    },
  );
});

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
  await proxy?.stop();
});

describe('invitation delivery', () => {
  it('mails nobody who unsubscribed, bounced or complained, even after the task was queued', async () => {
    await importSome(['U1', 'B1', 'K1', 'LATE1', 'OK1']);
    await stack.customers.setContactStatus('U1', 'unsubscribed', new Date().toISOString());
    const feedback = createTaskQueue(stack.sqs, stack.env.SES_FEEDBACK_QUEUE_URL ?? '');
    const sesEvent = (event: object) => ({ Type: 'Notification', Message: JSON.stringify(event) });
    await feedback.sendAll([
      sesEvent({
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bouncedRecipients: [{ emailAddress: address('B1').toUpperCase() }],
        },
      }),
      sesEvent({
        eventType: 'Complaint',
        complaint: { complainedRecipients: [{ emailAddress: address('K1') }] },
      }),
      sesEvent({
        eventType: 'Bounce',
        bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: address('OK1') }] },
      }),
    ]);
    await stack.consumers.sesFeedback.drain();

    const queued = await runTick(stack.schedule, dueSoon());
    expect(queued.invitations).toBe(2); // LATE1 and OK1: the others left the due index
    await stack.customers.setContactStatus('LATE1', 'unsubscribed', new Date().toISOString());
    await stack.consumers.invitations.drain();

    expect(await mailTo('OK1')).toHaveLength(1);
    for (const id of ['U1', 'B1', 'K1', 'LATE1']) expect(await mailTo(id)).toEqual([]);
    expect((await stack.customers.get('B1'))?.contactStatus).toBe('bounced');
    expect((await stack.customers.get('K1'))?.contactStatus).toBe('complained');
    expect((await stack.customers.get('OK1'))?.contactStatus).toBe('subscribed');
  });

  it('never sends a second e-mail for a redelivered or duplicated task', async () => {
    await importSome(['D1']);
    const due = (await stack.customers.get('D1'))?.nextSurveyAt ?? '';
    const now = dueSoon();
    const task: InvitationTask = {
      kind: 'invitation',
      customerId: 'D1',
      cycleAt: due,
      scheduledAt: now.toISOString(),
    };
    const invitations = createTaskQueue(stack.sqs, stack.env.INVITATIONS_QUEUE_URL ?? '');

    await runTick(stack.schedule, now);
    await invitations.sendAll([task, task]); // two duplicates of the queued task
    await stack.consumers.invitations.drain();
    await invitations.sendAll([task]); // a redelivery long after success
    await stack.consumers.invitations.drain();
    expect(await mailTo('D1')).toHaveLength(1);

    // A reminder task names its survey by key: the hash of the invitation's link.
    const token = surveyKeyOf(await tokenIn('D1'));
    const reminder: InvitationTask = { kind: 'reminder', token, scheduledAt: addDays(now, 6).toISOString() };
    expect((await runTick(stack.schedule, addDays(now, 6))).reminders).toBeGreaterThanOrEqual(1);
    await invitations.sendAll([reminder, reminder]);
    await stack.consumers.invitations.drain();
    const mail = await mailTo('D1');
    expect(mail.map((email) => email.subject.startsWith('Reminder'))).toEqual([false, true]);
  });

  it('delivers every invitation exactly once when SES throttles some sends', async () => {
    const ids = Array.from({ length: 20 }, (_, n) => `T${n}`);
    await importSome(ids);
    const attempts = new Map<string, number>();
    // Half the recipients are refused five times in a row: more than the SDK's own three attempts,
    // so the task itself fails and is retried from the queue.
    proxy.setFailWhen((body) => {
      const to = /"ToAddresses":\["([^"]+)"/.exec(body)?.[1] ?? '';
      const n = Number(/^t(\d+)@/.exec(to)?.[1] ?? -1);
      if (n < 0 || n % 2 === 1) return false;
      const seen = (attempts.get(to) ?? 0) + 1;
      attempts.set(to, seen);
      return seen <= 5;
    });
    try {
      const queued = await tickAndDrain(dueSoon());
      expect(queued.invitations).toBe(ids.length);
    } finally {
      proxy.setFailWhen(() => false);
    }
    expect(proxy.failures).toBeGreaterThanOrEqual(50);
    for (const id of ids) expect(await mailTo(id)).toHaveLength(1);
  });

  it('moves a task that keeps failing to the dead-letter queue, and sends nothing', async () => {
    await importSome(['P1']);
    // Refused for good: a throttled send would wait on the queue for its turn instead (never to the DLQ).
    proxy.setFailWhen((body) => body.includes(address('P1')), { as: 'reject' });
    try {
      await tickAndDrain(dueSoon());
    } finally {
      proxy.setFailWhen(() => false);
    }
    const { Attributes } = await stack.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.env.INVITATIONS_DLQ_URL,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('1');
    expect(await mailTo('P1')).toEqual([]);
  });

  it('rejects a malformed task to the dead-letter queue rather than losing it silently', async () => {
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.env.INVITATIONS_QUEUE_URL,
        MessageBody: '{"kind":"invitation"}',
      }),
    );
    await stack.consumers.invitations.drain();
    const { Attributes } = await stack.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.env.INVITATIONS_DLQ_URL,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('2');
  });
});

describe('unsubscribe', () => {
  it('asks for confirmation on GET, unsubscribes on POST (RFC 8058 one-click), idempotently', async () => {
    await importSome(['UN1']);
    const now = dueSoon();
    await tickAndDrain(now);
    const token = await tokenIn('UN1');

    const confirm = await fetch(`${api.url}/u/${token}`);
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await confirm.text()).toContain('<form method="post">');
    expect((await stack.customers.get('UN1'))?.contactStatus).toBe('subscribed');

    const oneClick = () =>
      fetch(`${api.url}/u/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    expect((await oneClick()).status).toBe(200);
    expect((await oneClick()).status).toBe(200);
    const customer = await stack.customers.get('UN1');
    expect(customer?.contactStatus).toBe('unsubscribed');
    expect(customer?.dueShard).toBeUndefined();

    // Nothing more, ever: not the reminder, not the next survey.
    await tickAndDrain(addDays(now, 6));
    await tickAndDrain(addMonths(now, 7));
    expect(await mailTo('UN1')).toHaveLength(1);
  });

  it('answers 404 with a page for an unknown or malformed link', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAA', 'not a token', "'><script>"]) {
      const response = await fetch(`${api.url}/u/${encodeURIComponent(token)}`, { method: 'POST' });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).not.toContain('<script>');
    }
  });
});
