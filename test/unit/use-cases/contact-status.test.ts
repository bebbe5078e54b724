import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../functions/domain/errors';
import {
  applySesFeedback,
  type ContactStatusDeps,
  surveyForLink,
  unsubscribe,
} from '../../../functions/use-cases/contact-status';
import { aCustomer, type CustomerTable, createCustomerTable } from '../../support/in-memory-customers';
import { fixedClock } from '../../support/in-memory-effects';
import { createSurveyTables, type SurveyTables, sentSurvey } from '../../support/in-memory-surveys';

const token = 'tok-aaaaaaaaaaaaaaaaaaaaaa';

let tables: SurveyTables;
let customers: CustomerTable;
let clock: ReturnType<typeof fixedClock>;
let deps: ContactStatusDeps;

beforeEach(() => {
  tables = createSurveyTables();
  tables.surveys.set(token, sentSurvey());
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
    expect(survey).toMatchObject({ token, surveyId: 'sv-1', customerId: 'C1' });
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
    };

    await expect(surveyForLink({ surveys }, '../../etc/passwd')).rejects.toThrow('This link is not valid.');
    expect(lookups).toBe(0);
    expect((await surveyForLink({ surveys }, token)).surveyId).toBe('sv-1');
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
