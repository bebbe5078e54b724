import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { addDays, addMonths } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { header, type StoredEmail, sentEmails } from '../support/ses-store';

const customerCount = 200;
let stack: IsolatedStack;
let start: Date;
let domain: string;
let secondTickAtSameInstant: Awaited<ReturnType<typeof runTick>> | undefined;
let emails: StoredEmail[];

beforeAll(async () => {
  stack = await startIsolatedStack('year', {}, { ownDynamoDb: true });
  domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon Part-Dieu', 'm1@stores.example.com', '', 'Europe/Paris'],
      ['S2', 'Boston Back Bay', 'm2@stores.example.com', '', 'America/New_York'],
    ]),
    { stores: stack.stores },
  );
  const rows = Array.from({ length: customerCount }, (_, n) => [
    `C${n}`,
    `c${n}@${domain}`,
    `First${n}`,
    `Last${n}`,
    n % 2 === 0 ? 'S1' : 'S2',
    n % 2 === 0 ? 'fr-FR' : 'en-US',
  ]);
  start = new Date();
  const imported = await importCustomers(recordsOf([[...customerCsvColumns], ...rows]), {
    customers: stack.customers,
    stores: stack.stores,
  });
  expect(imported.created).toBe(customerCount);

  // A year of daily ticks; after each, the invitations queue is worked off as Lambda would.
  for (let day = 0; day <= 365; day++) {
    const now = addDays(start, day);
    const queued = await runTick(stack.schedule, now);
    if (queued.invitations + queued.reminders > 0) {
      await stack.consumers.invitations.drain();
      if (secondTickAtSameInstant === undefined && queued.invitations > 0) {
        secondTickAtSameInstant = await runTick(stack.schedule, now);
      }
    }
  }
  emails = await sentEmails((address) => address.endsWith(`@${domain}`));
}, 600_000);

afterAll(() => stack?.stop());

const invitations = () => emails.filter((email) => !/^(Reminder|Rappel)/.test(email.subject));
const reminders = () => emails.filter((email) => /^(Reminder|Rappel)/.test(email.subject));
const tokenOf = (email: StoredEmail) =>
  /\/s\/([A-Za-z0-9_-]+)\?score=0/.exec(email.body.html ?? '')?.[1] ?? '';

describe('a simulated year of relationship surveys for 200 customers', () => {
  it('invites every customer exactly twice', () => {
    const perCustomer = new Map<string, number>();
    for (const email of invitations()) {
      const to = email.destination.to[0] ?? '';
      perCustomer.set(to, (perCustomer.get(to) ?? 0) + 1);
    }
    expect(perCustomer.size).toBe(customerCount);
    expect(new Set(perCustomer.values())).toEqual(new Set([2]));
  });

  it('spreads first surveys over the weeks after import, and sends the second six months after the first, never sooner', async () => {
    const customers = await stack.customers.getMany(Array.from({ length: customerCount }, (_, n) => `C${n}`));
    const firstDays = new Set<number>();
    for (const customer of customers.values()) {
      const [first, second] = customer.surveyHistory.map((entry) => new Date(entry.sentAt));
      expect(customer.surveyHistory).toHaveLength(2);
      if (first === undefined || second === undefined) throw new Error('missing survey');
      firstDays.add(Math.floor((first.getTime() - start.getTime()) / 86_400_000));
      expect(second.getTime()).toBeGreaterThanOrEqual(addMonths(first, 6).getTime());
      expect(second.getTime()).toBeLessThan(addDays(addMonths(first, 6), 2).getTime());
    }
    expect(firstDays.size).toBeGreaterThanOrEqual(25);
  });

  it('sends one reminder per unanswered survey, then none', () => {
    expect(reminders()).toHaveLength(2 * customerCount);
    expect(new Set(reminders().map(tokenOf)).size).toBe(2 * customerCount);
  });

  it('queues nothing when the scheduler runs twice for the same instant', () => {
    expect(secondTickAtSameInstant).toEqual({
      invitations: 0,
      reminders: 0,
      recounts: 0,
      escalations: 0,
      digests: 0,
    });
  });

  it('puts eleven score links and an RFC 8058 one-click unsubscribe in every invitation', async () => {
    const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
    const sample = invitations().slice(0, 50);
    for (const email of sample) {
      const token = tokenOf(email);
      const apiUrl = stack.env.PUBLIC_API_URL;
      for (let score = 0; score <= 10; score++) {
        expect(email.body.html).toContain(`href="${apiUrl}/s/${token}?score=${score}"`);
        expect(email.body.text).toContain(`${apiUrl}/s/${token}?score=${score}`);
      }
      expect(header(email, 'List-Unsubscribe')).toBe(`<${apiUrl}/u/${token}>`);
      expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(email.body.html).toContain(`href="${apiUrl}/u/${token}"`);
      const survey = await surveys.get(surveyKeyOf(token));
      expect(`c${survey?.customerId.slice(1)}@${domain}`).toBe(email.destination.to[0]);
      expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    }
  });

  it('writes each invitation in the customer’s language', () => {
    const french = invitations().filter((email) => /c\d*[02468]@/.test(email.destination.to[0] ?? ''));
    expect(french.length).toBe(customerCount);
    expect(french.every((email) => email.subject.startsWith('Recommanderiez-vous'))).toBe(true);
  });
});
