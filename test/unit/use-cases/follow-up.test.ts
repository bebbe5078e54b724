import { beforeEach, describe, expect, it } from 'vitest';
import { dueShardOf } from '../../../functions/domain/schedule';
import type { FollowUpTask } from '../../../functions/schemas/answer';
import type { ChatPostRequest } from '../../../functions/schemas/chat';
import {
  CaseNotOpenYetError,
  type FollowUpDeps,
  handleFollowUpTask,
} from '../../../functions/use-cases/follow-up';
import { anOpenCase, type CaseTable, createCaseTable } from '../../support/in-memory-cases';
import { aCustomer, createCustomerTable } from '../../support/in-memory-customers';
import {
  createMailer,
  createOnce,
  createTaskQueue,
  createWebhookOutbox,
  fixedClock,
} from '../../support/in-memory-effects';
import { aStore, createStoreTable } from '../../support/in-memory-stores';
import { createSurveyTables, type SurveyTables } from '../../support/in-memory-surveys';

const manager = 'manager.s1@stores.example.com';
const region = 'region@stores.example.com';
const answeredAt = '2026-11-02T10:00:00.000Z';

const detractor: FollowUpTask = {
  kind: 'detractor',
  surveyId: 'sv-1',
  customerId: 'C1',
  storeId: 'S1',
  score: 2,
  comment: 'Waited an hour',
  reasons: ['staff'],
  answeredAt,
};
const changed: FollowUpTask = {
  kind: 'answer-changed',
  surveyId: 'sv-1',
  score: 5,
  comment: 'Better after the call',
  reasons: ['staff'],
  answeredAt: '2026-11-02T12:00:00.000Z',
};
const escalation: FollowUpTask = {
  kind: 'escalate',
  caseId: 'sv-1',
  scheduledAt: '2026-11-03T10:05:00.000Z',
};
const digest: FollowUpTask = { kind: 'digest', storeId: 'S1', date: '2026-11-03' };

let cases: CaseTable;
let aggregates: SurveyTables;
let mail: ReturnType<typeof createMailer>;
let clock: ReturnType<typeof fixedClock>;
let later: ReturnType<typeof createTaskQueue<FollowUpTask>>;
let deps: FollowUpDeps;

const withStores = (...stores: Parameters<typeof createStoreTable>) => {
  deps = { ...deps, stores: createStoreTable(...stores).repository };
};

beforeEach(() => {
  cases = createCaseTable();
  aggregates = createSurveyTables();
  mail = createMailer();
  clock = fixedClock('2026-11-02T10:00:05.000Z');
  later = createTaskQueue<FollowUpTask>();
  const customers = createCustomerTable();
  customers.customers.set(
    'C1',
    aCustomer({
      surveyHistory: [
        { surveyId: 'sv-0', sentAt: '2025-11-01T09:00:00.000Z', score: 8 },
        { surveyId: 'sv-x', sentAt: '2026-05-01T09:00:00.000Z' },
        { surveyId: 'sv-1', sentAt: '2026-11-01T09:00:00.000Z', score: 2 },
      ],
    }),
  );
  deps = {
    casesUrl: 'https://api.example.test/m',
    cases: cases.repository,
    customers: customers.repository,
    stores: createStoreTable(aStore()).repository,
    aggregates: aggregates.answerRepository,
    mailer: mail.mailer,
    once: createOnce().once,
    caseUpdates: { intervalSeconds: 900, queue: later.queue },
    clock: clock.clock,
  };
});

describe('handleFollowUpTask: a detractor', () => {
  it('opens one case for the store manager, due a day after the answer, and alerts them once', async () => {
    expect(await handleFollowUpTask(deps, detractor)).toBe('opened');
    expect(await handleFollowUpTask(deps, detractor)).toBe('opened');

    expect([...cases.cases.values()]).toEqual([
      {
        caseId: 'sv-1',
        surveyId: 'sv-1',
        customerId: 'C1',
        storeId: 'S1',
        status: 'open',
        score: 2,
        comment: 'Waited an hour',
        reasons: ['staff'],
        customer: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          locale: 'en',
          attributes: { tier: 'gold' },
        },
        previousScores: [8],
        owner: manager,
        ownerRole: 'store-manager',
        answeredAt,
        openedAt: '2026-11-02T10:00:05.000Z',
        dueAt: '2026-11-03T10:00:00.000Z',
        alertedAt: '2026-11-02T10:00:05.000Z',
        escalationShard: dueShardOf('sv-1'),
        statusDue: 'open#2026-11-03T10:00:00.000Z',
        notes: [],
        calls: [],
        updatedAt: '2026-11-02T10:00:05.000Z',
      },
    ]);
    expect(cases.calls.filter((call) => call.startsWith('cases.open'))).toHaveLength(1);
    expect(mail.sent.map(({ to, subject }) => ({ to, subject }))).toEqual([
      { to: manager, subject: 'Detractor at Lyon: Ada Lovelace gave 2/10, please call within 24 hours' },
    ]);
    expect(mail.sent[0]?.text).toContain('Open this case: https://api.example.test/m?case=sv-1');
  });

  it("copies the customer's phone onto the case, and alerts in the store's language with times in its zone", async () => {
    const customers = createCustomerTable();
    customers.customers.set('C1', aCustomer({ phone: '+33 6 12 34 56 78' }));
    deps = { ...deps, customers: customers.repository };
    withStores(aStore({ language: 'fr', timezone: 'Europe/Paris' }));

    await handleFollowUpTask(deps, detractor);

    expect(cases.cases.get('sv-1')?.customer.phone).toBe('+33 6 12 34 56 78');
    const [alert] = mail.sent;
    expect(alert?.subject).toBe('Détracteur à Lyon : Ada Lovelace a donné 2/10, appelez sous 24 heures');
    expect(alert?.text).toContain('Téléphone: +33 6 12 34 56 78');
    // Due 2026-11-03T10:00Z is 11:00 in Paris (winter time); nothing is shown in UTC.
    expect(alert?.text).toContain('avant le mar. 3 nov. 2026, 11:00 UTC+1');
    expect(alert?.text).not.toContain('10:00');
    expect(alert?.html).toContain('<html lang="fr">');
  });

  it('gives the case to the regional manager when the store has no manager', async () => {
    withStores(aStore({ managerEmail: undefined }));

    await handleFollowUpTask(deps, detractor);

    expect(cases.cases.get('sv-1')).toMatchObject({ owner: region, ownerRole: 'regional-manager' });
    expect(mail.sent.map((email) => email.to)).toEqual([region]);
  });

  it('opens an unassigned case and alerts nobody when the store is unknown', async () => {
    withStores();

    await handleFollowUpTask(deps, detractor);

    expect(cases.cases.get('sv-1')).toMatchObject({ owner: '', ownerRole: 'store-manager' });
    expect(cases.cases.get('sv-1')?.alertedAt).toBeUndefined();
    expect(mail.sent).toEqual([]);
  });

  it('sends no second alert when the task is retried after the alert went but was not marked', async () => {
    cases.failNext('markAlerted', new Error('the function timed out'));

    await expect(handleFollowUpTask(deps, detractor)).rejects.toThrow('timed out');
    expect(cases.cases.get('sv-1')?.alertedAt).toBeUndefined();
    await handleFollowUpTask(deps, detractor);

    expect(mail.sent).toHaveLength(1);
    expect(cases.cases.get('sv-1')?.alertedAt).toBe('2026-11-02T10:00:05.000Z');
  });

  it('alerts the owner of a case an earlier attempt opened without alerting, keeping that case', async () => {
    cases.cases.set('sv-1', anOpenCase({ alertedAt: undefined, comment: 'as first opened' }));

    await handleFollowUpTask(deps, detractor);

    expect(cases.calls.filter((call) => call.startsWith('cases.open'))).toEqual([]);
    expect(cases.cases.get('sv-1')).toMatchObject({
      comment: 'as first opened',
      alertedAt: clock.clock().toISOString(),
    });
    expect(mail.sent).toHaveLength(1);
  });
});

describe('handleFollowUpTask: a changed answer', () => {
  beforeEach(() => {
    cases.cases.set('sv-1', anOpenCase());
  });

  it('notes the change on the case once and tells the owner once', async () => {
    expect(await handleFollowUpTask(deps, changed)).toBe('added');
    expect(await handleFollowUpTask(deps, changed)).toBe('duplicate');

    expect(cases.cases.get('sv-1')).toMatchObject({
      score: 5,
      comment: 'Better after the call',
      notes: [
        {
          at: '2026-11-02T12:00:00.000Z',
          by: 'customer',
          text: 'The customer changed the answer to 5/10: Better after the call.',
        },
      ],
      updatedAt: '2026-11-02T12:00:00.000Z',
    });
    expect(mail.sent.map(({ to, subject }) => ({ to, subject }))).toEqual([
      { to: manager, subject: 'Update from Ada Lovelace (Lyon): now 5/10' },
    ]);
  });

  it('notes a second change at once, and leaves its e-mail to a task delayed until the interval is over', async () => {
    clock.set('2026-11-02T12:00:05.000Z');
    await handleFollowUpTask(deps, changed);
    clock.set('2026-11-02T12:05:00.000Z');
    const second: FollowUpTask = {
      ...changed,
      score: 8,
      comment: undefined,
      answeredAt: '2026-11-02T12:05:00.000Z',
    };
    await handleFollowUpTask(deps, second);

    expect(cases.cases.get('sv-1')?.notes.map((note) => note.text)).toEqual([
      'The customer changed the answer to 5/10: Better after the call.',
      'The customer changed the answer to 8/10.',
    ]);
    expect(cases.cases.get('sv-1')).toMatchObject({ score: 8, comment: 'Better after the call' });
    expect(mail.sent.map((email) => email.subject)).toEqual(['Update from Ada Lovelace (Lyon): now 5/10']);
    const due = { kind: 'case-update', caseId: 'sv-1', dueAt: '2026-11-02T12:15:05.000Z' };
    expect(later.sent).toEqual([due]);
    expect(later.delays).toEqual([605]);

    clock.set('2026-11-02T12:15:05.000Z');
    await handleFollowUpTask(deps, due as FollowUpTask);
    await handleFollowUpTask(deps, due as FollowUpTask);
    await handleFollowUpTask(deps, second);

    expect(mail.sent.map((email) => email.subject)).toEqual([
      'Update from Ada Lovelace (Lyon): now 5/10',
      'Update from Ada Lovelace (Lyon): now 8/10',
    ]);
    expect(later.sent).toHaveLength(1);
  });

  it('coalesces a burst of changes into one e-mail per interval, with the score history', async () => {
    for (const [index, score] of [4, 6, 3, 1, 5].entries()) {
      clock.set(`2026-11-02T12:0${index}:00.000Z`);
      await handleFollowUpTask(deps, { ...changed, score, answeredAt: `2026-11-02T12:0${index}:00.000Z` });
    }
    expect(mail.sent).toHaveLength(1);
    expect(later.sent).toHaveLength(1);

    clock.set('2026-11-02T12:15:00.000Z');
    await handleFollowUpTask(deps, later.sent[0] as FollowUpTask);

    expect(mail.sent.map((email) => email.subject)).toEqual([
      'Update from Ada Lovelace (Lyon): now 4/10',
      'Update from Ada Lovelace (Lyon): now 5/10 after 4 changes',
    ]);
    expect(mail.sent[1]?.text).toContain('Changes since the last update: 4 (6/10 → 3/10 → 1/10 → 5/10)');
    expect(cases.cases.get('sv-1')).toMatchObject({
      changeScores: [4, 6, 3, 1, 5],
      updateMail: { seq: 2, from: 1, to: 5, at: '2026-11-02T12:15:00.000Z' },
      updateMailsSent: 2,
    });
    expect(cases.cases.get('sv-1')?.updateMailDueAt).toBeUndefined();
  });

  it('sends a claimed e-mail on the retry after a failed send, and only once after a failed mark', async () => {
    mail.failNext(new Error('throttled'));
    await expect(handleFollowUpTask(deps, changed)).rejects.toThrow('throttled');
    expect(await handleFollowUpTask(deps, changed)).toBe('duplicate');
    expect(mail.sent).toHaveLength(1);

    clock.set('2026-11-02T13:00:00.000Z');
    const next: FollowUpTask = { ...changed, score: 7, answeredAt: '2026-11-02T13:00:00.000Z' };
    cases.failNext('markUpdateMailSent', new Error('timed out'));
    await expect(handleFollowUpTask(deps, next)).rejects.toThrow('timed out');
    await handleFollowUpTask(deps, next);

    expect(mail.sent.map((email) => email.subject)).toEqual([
      'Update from Ada Lovelace (Lyon): now 5/10',
      'Update from Ada Lovelace (Lyon): now 7/10',
    ]);
    expect(cases.cases.get('sv-1')).toMatchObject({ updateMailsSent: 2 });
  });

  it('e-mails every change at once with an interval of 0', async () => {
    deps = { ...deps, caseUpdates: { ...deps.caseUpdates, intervalSeconds: 0 } };
    await handleFollowUpTask(deps, changed);
    await handleFollowUpTask(deps, { ...changed, score: 8, answeredAt: '2026-11-02T12:01:00.000Z' });
    expect(mail.sent).toHaveLength(2);
    expect(later.sent).toEqual([]);
  });

  it('notes the change on a case already contacted without e-mailing anyone', async () => {
    cases.cases.set('sv-1', anOpenCase({ status: 'contacted' }));

    expect(await handleFollowUpTask(deps, changed)).toBe('added');

    expect(cases.cases.get('sv-1')?.notes).toHaveLength(1);
    expect(mail.sent).toEqual([]);
  });

  it('fails, to be retried, while the detractor task has not opened the case yet', async () => {
    cases.cases.clear();

    await expect(handleFollowUpTask(deps, changed)).rejects.toBeInstanceOf(CaseNotOpenYetError);
    expect(mail.sent).toEqual([]);
  });
});

describe('handleFollowUpTask: an overdue case', () => {
  beforeEach(() => {
    cases.cases.set('sv-1', anOpenCase());
    clock.set('2026-11-03T10:00:00.000Z');
  });

  it('escalates it to the regional manager once, as of the tick’s instant when the clock lags', async () => {
    expect(await handleFollowUpTask(deps, escalation)).toBe('escalated');
    expect(await handleFollowUpTask(deps, escalation)).toBe('nothing');

    expect(cases.cases.get('sv-1')).toMatchObject({
      escalatedAt: '2026-11-03T10:05:00.000Z',
      escalatedTo: region,
    });
    expect(cases.cases.get('sv-1')?.escalationShard).toBeUndefined();
    expect(mail.sent.map(({ to, subject }) => ({ to, subject }))).toEqual([
      {
        to: region,
        subject: 'Overdue follow-up at Lyon: Ada Lovelace (2/10) has not been contacted',
      },
    ]);
  });

  it('escalates as of the clock when the task runs late', async () => {
    clock.set('2026-11-03T11:00:00.000Z');

    await handleFollowUpTask(deps, escalation);

    expect(cases.cases.get('sv-1')?.escalatedAt).toBe('2026-11-03T11:00:00.000Z');
  });

  it('sends no second escalation when retried after the e-mail went but the case was not marked', async () => {
    cases.failNext('markEscalated', new Error('throttled'));

    await expect(handleFollowUpTask(deps, escalation)).rejects.toThrow('throttled');
    expect(await handleFollowUpTask(deps, escalation)).toBe('escalated');

    expect(mail.sent).toHaveLength(1);
    expect(cases.cases.get('sv-1')?.escalatedTo).toBe(region);
  });

  it('escalates to the case’s owner when the store has no regional manager', async () => {
    withStores(aStore({ regionalManagerEmail: undefined }));

    await handleFollowUpTask(deps, escalation);

    expect(cases.cases.get('sv-1')?.escalatedTo).toBe(manager);
    expect(mail.sent.map((email) => email.to)).toEqual([manager]);
  });

  it.each([
    ['contacted', anOpenCase({ status: 'contacted' })],
    ['closed', anOpenCase({ status: 'closed' })],
    ['already escalated', anOpenCase({ escalatedAt: '2026-11-03T09:00:00.000Z', escalatedTo: region })],
  ])('does nothing for a case %s', async (_, caseRecord) => {
    cases.cases.set('sv-1', caseRecord);

    expect(await handleFollowUpTask(deps, escalation)).toBe('nothing');

    expect(mail.sent).toEqual([]);
    expect(cases.calls).toEqual([]);
  });

  it('does nothing for a case that no longer exists', async () => {
    cases.cases.clear();

    expect(await handleFollowUpTask(deps, escalation)).toBe('nothing');
    expect(mail.sent).toEqual([]);
  });
});

describe('handleFollowUpTask: the daily digest', () => {
  beforeEach(() => {
    clock.set('2026-11-03T07:00:00.000Z');
  });

  it('sends the store manager yesterday’s NPS and the open cases, once', async () => {
    aggregates.aggregates.set('store#S1|day#2026-11-02', {
      total: 5,
      promoters: 3,
      passives: 1,
      detractors: 1,
    });
    aggregates.aggregates.set('store#S1|day#2026-11-03', { total: 9, promoters: 9 });
    cases.cases.set('sv-1', anOpenCase());
    cases.cases.set(
      'sv-2',
      anOpenCase({
        caseId: 'sv-2',
        surveyId: 'sv-2',
        status: 'closed',
        customer: { ...anOpenCase().customer, name: 'Bob Babbage' },
      }),
    );

    expect(await handleFollowUpTask(deps, digest)).toBe('sent');
    expect(await handleFollowUpTask(deps, digest)).toBe('sent');

    expect(mail.sent).toHaveLength(1);
    const [email] = mail.sent;
    expect(email).toMatchObject({ to: manager, subject: 'Lyon: daily NPS digest for November 2, 2026' });
    expect(email?.text).toContain('NPS 40 ');
    expect(email?.text).toContain('from 5 responses');
    expect(email?.text).toContain('3 promoters, 1 passives, 1 detractors');
    expect(email?.text).toContain('1 open follow-up case:');
    expect(email?.text).toContain('Ada Lovelace (2/10)');
    expect(email?.text).not.toContain('Bob Babbage');
  });

  it('sends the digest of a day without answers when a case is still open, marking it overdue', async () => {
    cases.cases.set('sv-1', anOpenCase({ dueAt: '2026-11-02T10:00:00.000Z' }));

    expect(await handleFollowUpTask(deps, digest)).toBe('sent');

    expect(mail.sent[0]?.text).toContain('no responses');
    expect(mail.sent[0]?.text).toContain('- OVERDUE Ada Lovelace (2/10)');
  });

  it('says nothing when yesterday had no answer and every case is closed', async () => {
    aggregates.aggregates.set('store#S1|day#2026-11-03', { total: 9, promoters: 9 });
    cases.cases.set('sv-2', anOpenCase({ caseId: 'sv-2', status: 'closed' }));

    expect(await handleFollowUpTask(deps, digest)).toBe('nothing-to-say');
    expect(mail.sent).toEqual([]);
  });

  it('tells nobody when the store is unknown', async () => {
    withStores();
    cases.cases.set('sv-1', anOpenCase());

    expect(await handleFollowUpTask(deps, digest)).toBe('nobody-to-tell');
    expect(mail.sent).toEqual([]);
  });

  it('sends the digest to the regional manager of a store without a manager', async () => {
    withStores(aStore({ managerEmail: undefined }));
    cases.cases.set('sv-1', anOpenCase());

    await handleFollowUpTask(deps, digest);

    expect(mail.sent.map((email) => email.to)).toEqual([region]);
  });
});

describe('handleFollowUpTask: chat posts', () => {
  let chat: ReturnType<typeof createTaskQueue<ChatPostRequest>>;
  beforeEach(() => {
    chat = createTaskQueue<ChatPostRequest>();
    deps = { ...deps, chatPosts: chat.queue };
  });

  it('hands an alert to the chat-posts queue after its e-mail, with the first name and no address', async () => {
    expect(await handleFollowUpTask(deps, detractor)).toBe('opened');
    expect(await handleFollowUpTask(deps, detractor)).toBe('opened');
    expect(chat.sent).toEqual([
      {
        event: 'alert',
        storeId: 'S1',
        regionalManagerEmail: region,
        caseId: 'sv-1',
        message: {
          storeName: 'Lyon',
          firstName: 'Ada',
          score: 2,
          comment: 'Waited an hour',
          reasons: ['staff'],
          dueAt: '2026-11-03T10:00:00.000Z',
          caseUrl: 'https://api.example.test/m?case=sv-1',
          language: 'en',
          timeZone: 'Europe/Paris',
        },
      },
    ]);
    expect(JSON.stringify(chat.sent)).not.toContain('ada@example.com');
  });

  it('hands a digest with the day’s counts and open cases', async () => {
    clock.set('2026-11-03T07:00:00.000Z');
    aggregates.aggregates.set('store#S1|day#2026-11-02', {
      total: 2,
      promoters: 1,
      passives: 0,
      detractors: 1,
    });
    cases.cases.set('sv-1', anOpenCase());
    expect(await handleFollowUpTask(deps, digest)).toBe('sent');
    expect(chat.sent).toEqual([
      {
        event: 'digest',
        storeId: 'S1',
        regionalManagerEmail: region,
        date: '2026-11-02',
        message: {
          storeName: 'Lyon',
          promoters: 1,
          passives: 0,
          detractors: 1,
          openCases: 1,
          casesUrl: 'https://api.example.test/m',
          language: 'en',
        },
      },
    ]);
  });

  it('leaves the case unmarked when the chat-posts queue refuses, so a retry alerts the channels', async () => {
    chat.failNext(new Error('SQS is down'));
    await expect(handleFollowUpTask(deps, detractor)).rejects.toThrow('SQS is down');
    expect(cases.cases.get('sv-1')?.alertedAt).toBeUndefined();
    expect(await handleFollowUpTask(deps, detractor)).toBe('opened');
    expect(chat.sent).toHaveLength(1);
    expect(mail.sent).toHaveLength(1);
  });
});

describe('handleFollowUpTask: the case.opened webhook event', () => {
  it('records one event per case, without the customer’s name or address, before the alert', async () => {
    const webhooks = createWebhookOutbox();
    deps = { ...deps, webhookEvents: webhooks.outbox };
    mail.failNext(new Error('SES throttled'));
    await expect(handleFollowUpTask(deps, detractor)).rejects.toThrow('SES throttled');
    await handleFollowUpTask(deps, detractor);
    await handleFollowUpTask(deps, detractor);
    expect(webhooks.events()).toEqual([
      {
        id: expect.stringMatching(/^evt_/),
        type: 'case.opened',
        createdAt: '2026-11-02T10:00:05.000Z',
        data: {
          caseId: 'sv-1',
          surveyId: 'sv-1',
          customerId: 'C1',
          storeId: 'S1',
          score: 2,
          comment: 'Waited an hour',
          reasons: ['staff'],
          ownerRole: 'store-manager',
          openedAt: '2026-11-02T10:00:05.000Z',
          dueAt: '2026-11-03T10:00:00.000Z',
        },
      },
    ]);
    expect(JSON.stringify(webhooks.events())).not.toContain('ada@example.com');
  });
});
