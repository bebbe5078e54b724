import { beforeEach, describe, expect, it } from 'vitest';
import { dueShardOf, provisionalNextSurveyAt } from '../../../functions/domain/schedule';
import { surveyKeyOf } from '../../../functions/domain/survey-link';
import type { InvitationTask } from '../../../functions/schemas/survey';
import { handleInvitationTask, type SendInvitationDeps } from '../../../functions/use-cases/send-invitation';
import { aCustomer, type CustomerTable, createCustomerTable } from '../../support/in-memory-customers';
import { createMailer, createOnce, fixedClock } from '../../support/in-memory-effects';
import { aStore, createStoreTable } from '../../support/in-memory-stores';
import { createSurveyTables, type SurveyTables, sentSurvey } from '../../support/in-memory-surveys';

const cycleAt = '2026-11-01T09:00:00.000Z';
const invitation: InvitationTask = { kind: 'invitation', customerId: 'C1', cycleAt, scheduledAt: cycleAt };
const firstToken = 'tok-first-aaaaaaaaaaaaa';
const secondToken = 'tok-second-aaaaaaaaaaaa';
/** The survey is stored under the hash of its invitation's link token, never the token itself. */
const firstKey = surveyKeyOf(firstToken);
const subject = 'Would you recommend Closeloop? One quick question';

let tables: SurveyTables;
let customers: CustomerTable;
let mail: ReturnType<typeof createMailer>;
let clock: ReturnType<typeof fixedClock>;
let deps: SendInvitationDeps;
let tokensIssued: number;

beforeEach(() => {
  tables = createSurveyTables();
  customers = createCustomerTable();
  customers.customers.set('C1', aCustomer());
  mail = createMailer();
  clock = fixedClock('2026-11-01T09:00:30.000Z');
  tokensIssued = 0;
  const tokens = [firstToken, secondToken];
  deps = {
    customers: customers.repository,
    stores: createStoreTable(aStore()).repository,
    surveys: tables.surveyRepository,
    mailer: mail.mailer,
    once: createOnce().once,
    settings: {
      apiUrl: 'https://api.example.test',
      brand: 'Closeloop',
      reminderAfterDays: 5,
      surveyTtlDays: 30,
    },
    newToken: () => tokens[tokensIssued++] ?? 'tok-more-aaaaaaaaaaaaaa',
    newSurveyId: () => `sv-${tokensIssued}`,
    clock: clock.clock,
  };
});

describe('handleInvitationTask: an invitation', () => {
  it('creates the survey, e-mails its links and records it on the customer and in the aggregates', async () => {
    expect(await handleInvitationTask(invitation, deps)).toEqual({ outcome: 'sent', surveyId: 'sv-1' });

    expect([...tables.surveys.values()]).toEqual([
      {
        token: firstKey,
        surveyId: 'sv-1',
        customerId: 'C1',
        storeId: 'S1',
        locale: 'en',
        cycleAt,
        status: 'sent',
        createdAt: '2026-11-01T09:00:30.000Z',
        sentAt: '2026-11-01T09:00:30.000Z',
        expiresAt: '2026-12-01T09:00:30.000Z',
        reminderShard: dueShardOf(firstKey),
        reminderDueAt: '2026-11-06T09:00:30.000Z',
      },
    ]);
    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]).toMatchObject({ to: 'ada@example.com', subject });
    expect(mail.sent[0]?.text).toContain(`https://api.example.test/s/${firstToken}?score=10`);
    expect(mail.sent[0]?.text).toContain(`https://api.example.test/u/${firstToken}`);
    expect(mail.sent[0]?.text).toContain('Lyon');
    expect(mail.sent[0]?.text).not.toContain(firstKey);
    expect(JSON.stringify([...tables.surveys.values()])).not.toContain(firstToken);
    expect(customers.customers.get('C1')).toMatchObject({
      lastCycleAt: cycleAt,
      lastSurveyedAt: '2026-11-01T09:00:30.000Z',
      nextSurveyAt: '2027-05-01T09:00:30.000Z',
    });
    expect(customers.customers.get('C1')?.surveyHistory.at(-1)).toEqual({
      surveyId: 'sv-1',
      sentAt: '2026-11-01T09:00:30.000Z',
    });
    expect(tables.aggregate('store#S1', 'day#2026-11-01')).toEqual({ invited: 1 });
    expect(tables.aggregate('all', 'month#2026-11')).toEqual({ invited: 1 });
  });

  it('sends one e-mail per task however often it is delivered', async () => {
    await handleInvitationTask(invitation, deps);

    expect(await handleInvitationTask(invitation, deps)).toEqual({
      outcome: 'skipped',
      reason: 'already-sent',
    });
    expect(mail.sent).toHaveLength(1);
    expect(tables.surveys.size).toBe(1);
    expect(tables.aggregate('all', 'day#2026-11-01')).toEqual({ invited: 1 });
  });

  it('finishes the bookkeeping without a second e-mail when redelivered after a crash', async () => {
    const { markSent } = tables.surveyRepository;
    let crashes = 1;
    deps = {
      ...deps,
      surveys: {
        ...tables.surveyRepository,
        markSent: async (...args: Parameters<typeof markSent>) => {
          if (crashes-- > 0) throw new Error('the function timed out');
          return markSent(...args);
        },
      },
    };

    await expect(handleInvitationTask(invitation, deps)).rejects.toThrow('timed out');
    expect(await handleInvitationTask(invitation, deps)).toEqual({ outcome: 'sent', surveyId: 'sv-1' });

    expect(mail.sent).toHaveLength(1);
    expect(tokensIssued).toBe(1);
    expect(tables.surveys.get(firstKey)?.status).toBe('sent');
    expect(customers.customers.get('C1')?.lastCycleAt).toBe(cycleAt);
  });

  it('discards the survey when the e-mail fails, and the retry sends a fresh one', async () => {
    mail.failNext(new Error('SES is throttling'));

    await expect(handleInvitationTask(invitation, deps)).rejects.toThrow('throttling');
    expect(tables.surveys.size).toBe(0);
    expect(customers.customers.get('C1')?.lastCycleAt).not.toBe(cycleAt);

    await handleInvitationTask(invitation, deps);
    expect([...tables.surveys.keys()]).toEqual([surveyKeyOf(secondToken)]);
    expect(mail.sent.map((email) => email.text.includes(`/s/${secondToken}`))).toEqual([true]);
  });

  it.each(['unsubscribed', 'bounced', 'complained'] as const)('skips a customer who %s', async (status) => {
    customers.customers.set('C1', aCustomer({ contactStatus: status }));

    expect(await handleInvitationTask(invitation, deps)).toEqual({
      outcome: 'skipped',
      reason: 'not-subscribed',
    });

    expect(mail.sent).toEqual([]);
    expect(tables.surveys.size).toBe(0);
    expect(customers.calls).toEqual([]);
  });

  it('skips a customer who no longer exists', async () => {
    customers.customers.clear();

    expect(await handleInvitationTask(invitation, deps)).toEqual({
      outcome: 'skipped',
      reason: 'unknown-customer',
    });
    expect(mail.sent).toEqual([]);
  });

  it('skips a customer surveyed less than six months ago', async () => {
    customers.customers.set('C1', aCustomer({ lastSurveyedAt: '2026-08-01T09:00:00.000Z' }));

    expect(await handleInvitationTask(invitation, deps)).toEqual({ outcome: 'skipped', reason: 'throttled' });
    expect(mail.sent).toEqual([]);
  });

  it('runs as of the scheduler’s instant when the clock is behind it', async () => {
    clock.set('2026-11-01T08:59:00.000Z');

    await handleInvitationTask(invitation, deps);

    expect(tables.surveys.get(firstKey)?.sentAt).toBe(cycleAt);
  });

  it('sets no reminder when reminders are off', async () => {
    deps = { ...deps, settings: { ...deps.settings, reminderAfterDays: 0 } };

    await handleInvitationTask(invitation, deps);

    expect(tables.surveys.get(firstKey)).not.toHaveProperty('reminderShard');
    expect(tables.surveys.get(firstKey)).not.toHaveProperty('reminderDueAt');
  });
});

describe('handleInvitationTask: a reminder', () => {
  const token = 'tok-aaaaaaaaaaaaaaaaaaaaaa';
  const reminder: InvitationTask = { kind: 'reminder', token, scheduledAt: '2026-11-06T09:00:00.000Z' };

  beforeEach(() => {
    tables.surveys.set(token, sentSurvey({ reminderDueAt: '2026-11-06T09:00:00.000Z' }));
    clock.set('2026-11-06T09:00:10.000Z');
  });

  it('reminds a customer who has not answered, once, with a link of its own whose hash the survey keeps', async () => {
    expect(await handleInvitationTask(reminder, deps)).toEqual({ outcome: 'sent', surveyId: 'sv-1' });
    expect(await handleInvitationTask(reminder, deps)).toEqual({ outcome: 'skipped', reason: 'reminded' });

    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]).toMatchObject({
      to: 'ada@example.com',
      subject: 'Reminder: one quick question from Closeloop',
    });
    expect(mail.sent[0]?.text).toContain(`https://api.example.test/s/${firstToken}`);
    expect(mail.sent[0]?.text).toContain(`https://api.example.test/u/${firstToken}`);
    expect(mail.sent[0]?.text).not.toContain(token);
    expect(tables.surveys.get(token)).toMatchObject({
      reminderSentAt: '2026-11-06T09:00:10.000Z',
      reminderLinkKey: firstKey,
    });
    expect(JSON.stringify([...tables.surveys.values()])).not.toContain(firstToken);
  });

  it('takes back the link’s key when the e-mail fails, and the retry sends a fresh link it stores', async () => {
    mail.failNext(new Error('SES is throttling'));

    await expect(handleInvitationTask(reminder, deps)).rejects.toThrow('throttling');
    expect(tables.surveys.get(token)?.reminderLinkKey).toBeUndefined();
    expect(await handleInvitationTask(reminder, deps)).toEqual({ outcome: 'sent', surveyId: 'sv-1' });

    expect(mail.sent.map((email) => email.text.includes(`/s/${secondToken}`))).toEqual([true]);
    expect(tables.surveys.get(token)?.reminderLinkKey).toBe(surveyKeyOf(secondToken));
  });

  it('sends no link that would not work after an attempt that stored its key and crashed', async () => {
    const stored = surveyKeyOf('tok-crashed-aaaaaaaaaaa');
    tables.surveys.set(
      token,
      sentSurvey({ reminderDueAt: '2026-11-06T09:00:00.000Z', reminderLinkKey: stored }),
    );

    expect(await handleInvitationTask(reminder, deps)).toEqual({ outcome: 'skipped', reason: 'reminded' });

    expect(mail.sent).toEqual([]);
    expect(tables.surveys.get(token)).toMatchObject({
      reminderLinkKey: stored,
      reminderSentAt: '2026-11-06T09:00:10.000Z',
    });
  });

  it('sends no second reminder when redelivered after the e-mail went but was not marked', async () => {
    const { markReminderSent } = tables.surveyRepository;
    let crashes = 1;
    deps = {
      ...deps,
      surveys: {
        ...tables.surveyRepository,
        markReminderSent: async (...args: Parameters<typeof markReminderSent>) => {
          if (crashes-- > 0) throw new Error('the function timed out');
          return markReminderSent(...args);
        },
      },
    };

    await expect(handleInvitationTask(reminder, deps)).rejects.toThrow('timed out');
    expect(await handleInvitationTask(reminder, deps)).toEqual({ outcome: 'sent', surveyId: 'sv-1' });

    expect(mail.sent).toHaveLength(1);
  });

  it.each([
    ['answered', sentSurvey({ status: 'responded' })],
    ['expired', sentSurvey({ expiresAt: '2026-11-06T09:00:00.000Z' })],
  ] as const)('skips a survey that is %s', async (reason, survey) => {
    tables.surveys.set(token, survey);

    expect(await handleInvitationTask(reminder, deps)).toEqual({ outcome: 'skipped', reason });
    expect(mail.sent).toEqual([]);
    expect(tables.surveys.get(token)?.reminderSentAt).toBeUndefined();
  });

  it('skips an unknown survey', async () => {
    tables.surveys.clear();

    expect(await handleInvitationTask(reminder, deps)).toEqual({
      outcome: 'skipped',
      reason: 'unknown-survey',
    });
  });

  it('skips a customer who unsubscribed or bounced since the invitation', async () => {
    customers.customers.set('C1', aCustomer({ contactStatus: 'bounced' }));

    expect(await handleInvitationTask(reminder, deps)).toEqual({
      outcome: 'skipped',
      reason: 'not-subscribed',
    });
    expect(mail.sent).toEqual([]);
  });

  it('skips a customer who was deleted', async () => {
    customers.customers.clear();

    expect(await handleInvitationTask(reminder, deps)).toEqual({
      outcome: 'skipped',
      reason: 'unknown-customer',
    });
  });
});

describe('handleInvitationTask: after its send window closed', () => {
  const queuedFor = provisionalNextSurveyAt(new Date(cycleAt), new Date(cycleAt)).toISOString();

  beforeEach(() => {
    customers.customers.set('C1', { ...aCustomer(), dueShard: '3', nextSurveyAt: queuedFor });
  });

  it('sends an invitation run before the window’s close', async () => {
    const task: InvitationTask = { ...invitation, sendBy: '2026-11-01T17:00:00.000Z' };
    expect(await handleInvitationTask(task, deps)).toEqual({ outcome: 'sent', surveyId: 'sv-1' });
  });

  it('sends no invitation run after it, and makes the customer due again at the same cycle', async () => {
    clock.set('2026-11-01T17:00:00.000Z');
    const task: InvitationTask = { ...invitation, sendBy: '2026-11-01T17:00:00.000Z' };
    expect(await handleInvitationTask(task, deps)).toEqual({ outcome: 'postponed' });
    expect(mail.sent).toEqual([]);
    expect(tables.surveys.size).toBe(0);
    expect(customers.customers.get('C1')?.nextSurveyAt).toBe(cycleAt);
  });

  it('sends no reminder run after it, and puts the survey back among the reminders due', async () => {
    const token = 'tok-aaaaaaaaaaaaaaaaaaaaaa';
    tables.surveys.set(token, sentSurvey({ reminderDueAt: '2026-11-06T09:00:00.000Z' }));
    delete tables.surveys.get(token)?.reminderShard;
    clock.set('2026-11-06T18:30:00.000Z');
    const reminder: InvitationTask = {
      kind: 'reminder',
      token,
      scheduledAt: '2026-11-06T09:00:00.000Z',
      sendBy: '2026-11-06T18:00:00.000Z',
    };
    expect(await handleInvitationTask(reminder, deps)).toEqual({ outcome: 'postponed' });
    expect(mail.sent).toEqual([]);
    expect(tables.surveys.get(token)).toMatchObject({
      reminderShard: dueShardOf(token),
      reminderDueAt: '2026-11-06T18:30:00.000Z',
    });
    expect(tables.surveys.get(token)?.reminderSentAt).toBeUndefined();
  });
});
