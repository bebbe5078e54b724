import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
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
import { accessibilityViolations, launchChromium } from '../support/browser';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { eventually } from '../support/local-stack';
import { type StoredEmail, sentEmails } from '../support/ses-store';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let browser: Browser;
const mail = new Map<string, StoredEmail>();
let surveys: ReturnType<typeof createSurveyRepository>;

const tokenOf = (email: StoredEmail | undefined) =>
  /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email?.body.html ?? '')?.[1] ?? '';
/** The key the survey of an e-mail is stored under: the hash of its link token. */
const keyOf = (email: StoredEmail | undefined) => surveyKeyOf(tokenOf(email));
/** The latest answer the page recorded (no counting function runs here: it decides and counts them). */
const answerOf = async (id: string) => (await surveys.get(keyOf(mail.get(id))))?.answers?.at(-1);

beforeAll(async () => {
  stack = await startIsolatedStack('survey-page');
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
  const domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([[...storeCsvColumns], ['S1', 'Lyon Part-Dieu', 'm@stores.example.com', '', 'Europe/Paris']]),
    {
      stores: stack.stores,
    },
  );
  const ids = ['REAL', 'SCAN', 'NOJS', 'FR', 'OLD', 'BAD', 'BUSY'];
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...ids.map((id) => [
        id,
        `${id.toLowerCase()}@${domain}`,
        'Sam',
        'Doe',
        'S1',
        id === 'FR' ? 'fr' : 'en',
      ]),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
  for (const email of await sentEmails((to) => to.endsWith(`@${domain}`))) {
    mail.set((email.destination.to[0] ?? '').split('@')[0]?.toUpperCase() ?? '', email);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await api?.stop();
});

describe('the survey page in a real browser', () => {
  it('records the clicked score as soon as the page shows, then the comment, and lets the customer change the answer', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.setContent(mail.get('REAL')?.body.html ?? '');
    await page.getByRole('link', { name: '3', exact: true }).click();
    await page.waitForURL(/\?score=3$/);
    await expect(page.getByRole('radio', { name: '3' }).isChecked()).resolves.toBe(true);
    await page.getByText('Thank you, your score is saved.').waitFor();
    expect((await answerOf('REAL'))?.score).toBe(3);

    const comment = 'The <b>queue</b> was "endless" & nobody helped';
    await page.getByLabel('Why did you give this score? (optional)').fill(comment);
    await page.getByLabel('Staff').check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await expect(page.getByText('The manager of Lyon Part-Dieu will be in touch').isVisible()).resolves.toBe(
      true,
    );
    expect(await answerOf('REAL')).toMatchObject({ score: 3, comment, reasons: ['staff'], source: 'form' });

    // Changing the answer from the e-mail keeps the comment, and the latest answer wins.
    await page.setContent(mail.get('REAL')?.body.html ?? '');
    await page.getByRole('link', { name: '9', exact: true }).click();
    await page.getByText('Thank you, your score is saved.').waitFor();
    await expect(page.getByLabel('Why did you give this score? (optional)').inputValue()).resolves.toBe(
      comment,
    );
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('We are delighted you would recommend').waitFor();
    const survey = await surveys.get(keyOf(mail.get('REAL')));
    expect(survey?.answers?.at(-1)).toMatchObject({ score: 9, comment });
    expect(survey?.answers?.map((answer) => [answer.score, answer.source])).toEqual([
      [3, 'auto'],
      [3, 'form'],
      [9, 'auto'],
    ]);
    await page.close();
  });

  it('saves the clicked score even when the service is busy at first (503, then retried)', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    const posts: number[] = [];
    await page.route(/\/s\/[A-Za-z0-9_-]{22}(\?|$)/, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts.push(Date.now());
      if (posts.length > 2) return route.continue();
      return route.fulfill({
        status: 503,
        headers: { 'retry-after': '1', 'content-type': 'application/json' },
        body: JSON.stringify({
          error: 'unavailable',
          message: 'We are busy for a moment: please try again.',
        }),
      });
    });
    await page.setContent(mail.get('BUSY')?.body.html ?? '');
    await page.getByRole('link', { name: '6', exact: true }).click();
    await page.getByText('Thank you, your score is saved.').waitFor({ timeout: 15_000 });
    expect(posts).toHaveLength(3);
    expect((posts[1] ?? 0) - (posts[0] ?? 0)).toBeGreaterThanOrEqual(900);
    expect(await answerOf('BUSY')).toMatchObject({ score: 6, source: 'auto' });
    await page.close();
  });

  it('records no answer when a link scanner fetches every link of the e-mail, and notes the hidden one', async () => {
    const links = [...(mail.get('SCAN')?.body.html ?? '').matchAll(/href="([^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    // Eleven scores, the hidden link and the unsubscribe link.
    expect(links).toHaveLength(13);
    for (const link of links) {
      const response = await fetch(link.replaceAll('&amp;', '&'), {
        headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks)' },
      });
      expect(response.status).toBe(200);
      await fetch(link, { method: 'HEAD' });
    }
    expect(await answerOf('SCAN')).toBeUndefined();
    expect((await surveys.get(keyOf(mail.get('SCAN'))))?.honeypotAt).toBeDefined();
    expect((await stack.customers.get('SCAN'))?.contactStatus).toBe('subscribed');
  });

  it('works without JavaScript: nothing is recorded until the customer presses Send', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const link = /href="([^"]+\?score=8)"/.exec(mail.get('NOJS')?.body.html ?? '')?.[1] ?? '';
    await page.goto(link);
    await expect(page.getByRole('radio', { name: '8' }).isChecked()).resolves.toBe(true);
    expect(await answerOf('NOJS')).toBeUndefined();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you for helping').waitFor();
    expect((await answerOf('NOJS'))?.score).toBe(8);
    await context.close();
  });

  it('is accessible (axe-core, WCAG 2 AA) and in the customer’s language', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const link = /href="([^"]+\?score=10)"/.exec(mail.get('FR')?.body.html ?? '')?.[1] ?? '';
    await page.goto(link);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expect(page.getByRole('button', { name: 'Envoyer' }).isVisible()).resolves.toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await page.getByRole('heading', { name: 'Merci !' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('survey API errors', () => {
  it('answers 410 with a page once the survey has expired', async () => {
    const token = tokenOf(mail.get('OLD'));
    await stack.db.send(
      new UpdateCommand({
        TableName: stack.env.SURVEYS_TABLE,
        Key: { token: surveyKeyOf(token) },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': '2020-01-01T00:00:00.000Z' },
      }),
    );
    const page = await fetch(`${api.url}/s/${token}?score=5`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This survey has closed');
    const post = await fetch(`${api.url}/s/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"score":5}',
    });
    expect(post.status).toBe(410);
    expect(await answerOf('OLD')).toBeUndefined();
  });

  it.each([
    ['a score above 10', 'application/json', '{"score":11}', 'score: must be from 0 to 10'],
    [
      'a score that is not a number',
      'application/x-www-form-urlencoded',
      'score=ten',
      'score: must be a whole number from 0 to 10',
    ],
    ['an unknown reason', 'application/json', '{"score":5,"reasons":["weather"]}', 'reasons.0'],
    [
      'a comment that is too long',
      'application/json',
      JSON.stringify({ score: 5, comment: 'x'.repeat(2001) }),
      'comment: must be at most 2000 characters',
    ],
    ['malformed JSON', 'application/json', '{"score":', 'The request body is not valid JSON.'],
    [
      'another content type',
      'text/plain',
      'score=5',
      'application/x-www-form-urlencoded or application/json',
    ],
  ])('rejects %s with 400 and says what is wrong, recording nothing', async (_label, type, body, message) => {
    const response = await fetch(`${api.url}/s/${tokenOf(mail.get('BAD'))}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(await answerOf('BAD')).toBeUndefined();
  });

  it('answers 404 for an unknown link and 413 for an oversized body', async () => {
    expect((await fetch(`${api.url}/s/AAAAAAAAAAAAAAAAAAAAAA?score=5`)).status).toBe(404);
    const huge = await fetch(`${api.url}/s/${tokenOf(mail.get('BAD'))}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ score: 5, comment: 'x'.repeat(20_000) }),
    });
    expect(huge.status).toBe(413);
  });

  it('treats a double click as one answer', async () => {
    const token = tokenOf(mail.get('BAD'));
    const click = () =>
      fetch(`${api.url}/s/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: '{"score":6}',
      });
    const [first, second] = await Promise.all([click(), click()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await eventually(async () => (await surveys.get(surveyKeyOf(token)))?.version === 1);
    expect((await surveys.get(surveyKeyOf(token)))?.answers).toHaveLength(1);
  });
});
