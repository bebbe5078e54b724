import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../functions/domain/errors';
import { surveyKeyOf } from '../../../functions/domain/survey-link';
import {
  applySesFeedback,
  type ContactStatusDeps,
  surveyForLink,
  unsubscribe,
} from '../../../functions/use-cases/contact-status';
import { aCustomer, type CustomerTable, createCustomerTable } from '../../support/in-memory-customers';
import { createWebhookOutbox, fixedClock } from '../../support/in-memory-effects';
import { createSurveyTables, type SurveyTables, sentSurvey } from '../../support/in-memory-surveys';

/** The link token in the e-mail; the survey is stored under its hash. */
const token = 'tok-aaaaaaaaaaaaaaaaaa-1';
const key = surveyKeyOf(token);

let tables: SurveyTables;
let customers: CustomerTable;
let clock: ReturnType<typeof fixedClock>;
let deps: ContactStatusDeps;

beforeEach(() => {
  tables = createSurveyTables();
  tables.surveys.set(key, sentSurvey({ token: key }));
  customers = createCustomerTable();
  customers.customers.set('C1', aCustomer());
  customers.customers.set('C2', aCustomer({ customerId: 'C2', email: 'bob@example.com' }));
  clock = fixedClock('2026-11-03T08:00:00.000Z');
  deps = { customers: customers.repository, surveys: tables.surveyRepository, clock: clock.clock };
});

describe('unsubscribe', () => {
  it('unsubscribes the customer the link was sent to, and takes them out of the schedule', async () => {
    const { survey, changed } = await unsubscribe(deps, token);

    expect(changed).toBe(true);
    expect(survey).toMatchObject({ token: key, surveyId: 'sv-1', customerId: 'C1' });
    expect(customers.customers.get('C1')).toMatchObject({
      contactStatus: 'unsubscribed',
      contactStatusChangedAt: '2026-11-03T08:00:00.000Z',
    });
    expect(customers.customers.get('C1')?.dueShard).toBeUndefined();
    expect(customers.customers.get('C2')?.contactStatus).toBe('subscribed');
  });

  it('changes nothing on a second click', async () => {
    await unsubscribe(deps, token);
    clock.set('2026-11-04T08:00:00.000Z');

    expect((await unsubscribe(deps, token)).changed).toBe(false);
    expect(customers.customers.get('C1')?.contactStatusChangedAt).toBe('2026-11-03T08:00:00.000Z');
  });

  it.each([
    ['an unknown token', 'tok-unknown-aaaaaaaaaaaa'],
    ['the key the survey is stored under', key],
    ['a token too short', 'tok-short'],
    ['a token with a slash', 'tok-aaaaaaaaaaaaaaaaaaa/..'],
    ['an empty token', ''],
  ])('answers %s with a 404 and unsubscribes nobody', async (_, link) => {
    await expect(unsubscribe(deps, link)).rejects.toBeInstanceOf(NotFoundError);

    expect(customers.calls).toEqual([]);
  });
});

describe('surveyForLink', () => {
  it('does not look up a malformed token at all', async () => {
    let lookups = 0;
    const surveys = {
      get: async (link: string) => {
        lookups++;
        return tables.surveyRepository.get(link);
      },
      keyOfReminderLink: async (link: string) => {
        lookups++;
        return tables.surveyRepository.keyOfReminderLink(link);
      },
    };

    await expect(surveyForLink({ surveys }, '../../etc/passwd')).rejects.toThrow('This link is not valid.');
    expect(lookups).toBe(0);
    expect((await surveyForLink({ surveys }, token)).surveyId).toBe('sv-1');
  });
});

describe('surveyForLink: the links of a survey', () => {
  it('finds the survey from its reminder’s link, through the hash stored on it', async () => {
    const reminderLink = 'tok-reminder-aaaaaaaaaa';
    tables.surveys.set(key, sentSurvey({ token: key, reminderLinkKey: surveyKeyOf(reminderLink) }));

    expect((await surveyForLink(deps, reminderLink)).token).toBe(key);
    expect((await unsubscribe(deps, reminderLink)).changed).toBe(true);
    await expect(surveyForLink(deps, surveyKeyOf(reminderLink))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('finds a survey stored before keys were hashed by its raw token, only for a token of 22 characters', async () => {
    const legacy = 'LegacyTokenAAAAAAAAAAA';
    tables.surveys.set(legacy, sentSurvey({ token: legacy, surveyId: 'sv-old' }));
    const longer = `${legacy}AAAAAAAAAAAAAAAAAAAAA`;
    tables.surveys.set(longer, sentSurvey({ token: longer, surveyId: 'sv-longer' }));

    expect((await surveyForLink(deps, legacy)).surveyId).toBe('sv-old');
    await expect(surveyForLink(deps, longer)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('applySesFeedback', () => {
  it('marks the customers behind a hard bounce as bounced, matching addresses case-insensitively', async () => {
    const applied = await applySesFeedback(deps, {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: ' Ada@Example.com ' }, { emailAddress: 'nobody@example.com' }],
      },
    });

    expect(applied).toEqual([
      { email: 'ada@example.com', customerId: 'C1', status: 'bounced' },
      { email: 'nobody@example.com', customerId: undefined, status: 'bounced' },
    ]);
    expect(customers.customers.get('C1')).toMatchObject({
      contactStatus: 'bounced',
      contactStatusChangedAt: '2026-11-03T08:00:00.000Z',
    });
    expect(customers.customers.get('C2')?.contactStatus).toBe('subscribed');
  });

  it('marks the customers behind a complaint as complained', async () => {
    await applySesFeedback(deps, {
      notificationType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'bob@example.com' }] },
    });

    expect(customers.customers.get('C2')?.contactStatus).toBe('complained');
    expect(customers.customers.get('C1')?.contactStatus).toBe('subscribed');
  });

  it('leaves everyone subscribed after a transient bounce', async () => {
    const applied = await applySesFeedback(deps, {
      eventType: 'Bounce',
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'ada@example.com' }] },
    });

    expect(applied).toEqual([]);
    expect(customers.calls).toEqual([]);
  });
});

describe('customer.unsubscribed webhook events', () => {
  let outbox: ReturnType<typeof createWebhookOutbox>;
  beforeEach(() => {
    outbox = createWebhookOutbox();
    deps = { ...deps, webhookEvents: outbox.outbox };
  });

  it('records one event per unsubscribed customer, however often they click', async () => {
    await unsubscribe(deps, token);
    clock.set('2026-11-04T08:00:00.000Z');
    await unsubscribe(deps, token);
    expect(outbox.events()).toEqual([
      {
        id: expect.stringMatching(/^evt_/),
        type: 'customer.unsubscribed',
        createdAt: '2026-11-03T08:00:00.000Z',
        data: { customerId: 'C1', reason: 'unsubscribed', at: '2026-11-03T08:00:00.000Z' },
      },
    ]);
  });

  it('records a bounce or a complaint with its reason, and nothing for an address nobody holds', async () => {
    await applySesFeedback(deps, {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: 'ada@example.com' }, { emailAddress: 'nobody@example.com' }],
      },
    });
    expect(outbox.events().map((event) => event.data)).toEqual([
      { customerId: 'C1', reason: 'bounced', at: '2026-11-03T08:00:00.000Z' },
    ]);
  });
});
