import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { scanTable } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { type StoredEmail, sentEmails } from '../support/ses-store';

/**
 * Survey links are secrets the Surveys table does not hold: it keeps their hashes only, so whoever
 * reads it (a backup, an export, an operator) cannot answer or unsubscribe for anyone. The invitation's
 * link and the reminder's own link both work; a key read from the table is no link.
 */
let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let surveys: ReturnType<typeof createSurveyRepository>;
const customerIds = ['L1', 'L2', 'L3', 'L4', 'L5'];
/** Per customer, the link token of the invitation and of the reminder. */
const links = new Map<string, { invitation: string; reminder: string }>();

const linkOf = (email: StoredEmail | undefined) =>
  /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email?.body.html ?? '')?.[1] ?? '';
const linksOf = (customerId: string) => links.get(customerId) ?? { invitation: '', reminder: '' };

const answer = (token: string, score: number) =>
  fetch(`${api.url}/s/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ score }),
  });

beforeAll(async () => {
  stack = await startIsolatedStack('links');
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
  const domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([[...storeCsvColumns], ['S1', 'Lyon', 'm@stores.example.com', '', 'Europe/Paris']]),
    { stores: stack.stores },
  );
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...customerIds.map((id) => [id, `${id.toLowerCase()}@${domain}`, 'Sam', 'Doe', 'S1', 'en']),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  const invitedAt = addDays(new Date(), 30);
  await runTick(stack.schedule, invitedAt);
  await stack.consumers.invitations.drain();
  await runTick(stack.schedule, addDays(invitedAt, 6));
  await stack.consumers.invitations.drain();
  const emails = await sentEmails((to) => to.endsWith(`@${domain}`));
  for (const id of customerIds) {
    const own = emails.filter((email) => email.destination.to[0] === `${id.toLowerCase()}@${domain}`);
    links.set(id, {
      invitation: linkOf(own.find((email) => !email.subject.startsWith('Reminder'))),
      reminder: linkOf(own.find((email) => email.subject.startsWith('Reminder'))),
    });
  }
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('survey links', () => {
  it('sends every customer an invitation and a reminder, each with a link of its own', () => {
    const tokens = [...links.values()].flatMap(({ invitation, reminder }) => [invitation, reminder]);
    expect(tokens.every((token) => /^[A-Za-z0-9_-]{22}$/.test(token))).toBe(true);
    expect(new Set(tokens).size).toBe(2 * customerIds.length);
  });

  it('stores no link token anywhere in a survey, nor in the idempotency records, only their hashes', async () => {
    const tokens = [...links.values()].flatMap(({ invitation, reminder }) => [invitation, reminder]);
    const items = await scanTable(stack.db, stack.env.SURVEYS_TABLE ?? '');
    const ours = items.filter((item) => customerIds.includes(String(item.customerId)));
    expect(ours).toHaveLength(customerIds.length);
    for (const item of ours) {
      const stored = JSON.stringify(item);
      for (const token of tokens) expect(stored).not.toContain(token);
    }
    const remembered = JSON.stringify(await scanTable(stack.db, stack.env.IDEMPOTENCY_TABLE ?? ''));
    for (const token of tokens) expect(remembered).not.toContain(token);

    for (const id of customerIds) {
      const { invitation, reminder } = linksOf(id);
      expect(await surveys.get(surveyKeyOf(invitation)), id).toMatchObject({
        customerId: id,
        reminderLinkKey: surveyKeyOf(reminder),
      });
    }
  });

  it('opens the survey and records answers through both the invitation’s and the reminder’s link', async () => {
    const { invitation, reminder } = linksOf('L1');
    expect((await fetch(`${api.url}/s/${invitation}?score=7`)).status).toBe(200);
    expect((await fetch(`${api.url}/s/${reminder}?score=7`)).status).toBe(200);

    expect((await answer(reminder, 7)).status).toBe(200);
    expect((await answer(invitation, 9)).status).toBe(200);

    const survey = await surveys.get(surveyKeyOf(invitation));
    expect(survey?.answers?.map(({ score }) => score)).toEqual([7, 9]);
  });

  it('notes the reminder’s hidden link on the survey', async () => {
    const { invitation, reminder } = linksOf('L2');
    expect((await fetch(`${api.url}/s/${reminder}/about`)).status).toBe(200);

    expect((await surveys.get(surveyKeyOf(invitation)))?.honeypotAt).toBeDefined();
  });

  it('unsubscribes through the invitation’s link and through the reminder’s', async () => {
    const { invitation } = linksOf('L3');
    const { reminder } = linksOf('L4');
    expect((await fetch(`${api.url}/u/${invitation}`)).status).toBe(200);
    expect((await fetch(`${api.url}/u/${reminder}`)).status).toBe(200);
    expect((await fetch(`${api.url}/u/${invitation}`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${api.url}/u/${reminder}`, { method: 'POST' })).status).toBe(200);

    expect((await stack.customers.get('L3'))?.contactStatus).toBe('unsubscribed');
    expect((await stack.customers.get('L4'))?.contactStatus).toBe('unsubscribed');
    expect((await stack.customers.get('L5'))?.contactStatus).toBe('subscribed');
  });

  it('takes no key read from the table for a link', async () => {
    const { invitation, reminder } = linksOf('L5');
    for (const key of [surveyKeyOf(invitation), surveyKeyOf(reminder)]) {
      expect((await fetch(`${api.url}/s/${key}?score=9`)).status).toBe(404);
      expect((await answer(key, 9)).status).toBe(404);
      expect((await fetch(`${api.url}/u/${key}`, { method: 'POST' })).status).toBe(404);
    }
    expect((await surveys.get(surveyKeyOf(invitation)))?.answers).toBeUndefined();
    expect((await stack.customers.get('L5'))?.contactStatus).toBe('subscribed');
  });

  it('still answers a link sent before keys were hashed, whose survey is keyed by the raw token', async () => {
    const { invitation } = linksOf('L5');
    const legacy = 'LegacyLinkToken0123456';
    const survey = await surveys.get(surveyKeyOf(invitation));
    if (survey === undefined) throw new Error('no survey for L5');
    const { reminderLinkKey: _, ...current } = survey;
    await stack.db.send(
      new PutCommand({
        TableName: stack.env.SURVEYS_TABLE,
        Item: { ...current, token: legacy, surveyId: `${current.surveyId}-old` },
      }),
    );

    expect((await fetch(`${api.url}/s/${legacy}?score=9`)).status).toBe(200);
    expect((await answer(legacy, 8)).status).toBe(200);
    expect((await surveys.get(legacy))?.answers?.map(({ score }) => score)).toEqual([8]);
  });
});
