import { mkdirSync, readFileSync } from 'node:fs';
import {
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { addDays } from '../../functions/domain/schedule';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { accessibilityViolations, launchChromium } from '../support/browser';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { eventually } from '../support/local-stack';
import { pipelineEmails, sentEmails } from '../support/ses-store';
import { cognitoOfProvider, signInAs, signInOnPage } from '../support/staff';
import { syncStaffAccounts } from '../support/staff-bindings';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let browser: Browser;
let domain: string;
const manager = (store: string) => `manager.${store.toLowerCase()}@${domain}`;

beforeAll(async () => {
  stack = await startIsolatedStack('loop');
  domain = `${stack.namespace}.example.com`;
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon Part-Dieu', manager('S1'), `region@${domain}`, 'Europe/Paris'],
      ['S2', 'Boston Back Bay', manager('S2'), '', 'America/New_York'],
    ]),
    { stores: stack.stores },
  );
  // Every manager gets an account bound to their stores, as `closeloop staff sync` gives them.
  await syncStaffAccounts(stack.stores);
  await importCustomers(
    recordsOf([
      [...customerCsvColumns, 'phone'],
      ['C1', `c1@${domain}`, 'Ada', 'Byron', 'S1', 'en', '+33 6 12 34 56 78'],
    ]),
    {
      customers: stack.customers,
      stores: stack.stores,
    },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
  stack.consumers.start(); // from here on, the local runtime works as under `npm start`
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await api?.stop();
});

/** Script errors and refused resources (the CSP) of a page. */
const watchForProblems = (page: Page) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // The first call before signing in is answered 401, as it should be.
    if (message.type() === 'error' && !message.text().includes('status of 401'))
      problems.push(message.text());
  });
  return problems;
};

/** How wide the page's content is: more than the viewport means sideways scrolling. */
const pageWidth = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );

/** The ID token the pages send, obtained through the provider's login form. */
const bearer = async (email: string) => (await signInAs(email)).bearer;

/** On a page sent to the provider's login form: signs in there and comes back. */
const signIn = (page: Page, email: string) => signInOnPage(page, email);

describe('closing the loop, end to end on the local stack', () => {
  it('alerts the manager within seconds of a 3, lets them record the call, keeps other managers out, and escalates untouched cases once', async () => {
    const [invitation] = await sentEmails((to) => to === `c1@${domain}`);
    const page = await browser.newPage();
    await page.setContent(invitation?.body.html ?? '');
    await page.getByRole('link', { name: '3', exact: true }).click();
    await page.getByText('Thank you, your score is saved.').waitFor();
    await page.getByLabel('Why did you give this score? (optional)').fill('Waited 40 minutes at the till.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();

    const withComment = await eventually(
      async () =>
        (await sentEmails((to) => to === manager('S1'))).find((email) =>
          (email.body.text ?? '').includes('Waited 40 minutes at the till.'),
        ),
      10_000,
    );
    expect(withComment.body.text).toMatch(new RegExp(`${api.url}/m\\?case=[\\w-]+`));
    const alert = await eventually(
      async () =>
        (await sentEmails((to) => to === manager('S1'))).find((email) =>
          email.subject.startsWith('Detractor at'),
        ),
      10_000,
    );
    expect(alert.subject).toContain('gave 3/10');

    const token = bearer;
    const list = (await (
      await fetch(`${api.url}/m/cases`, { headers: { authorization: await token(manager('S1')) } })
    ).json()) as {
      cases: { caseId: string; comment?: string }[];
    };
    const [caseRecord] = list.cases;
    await eventually(async () => {
      const current = (await (
        await fetch(`${api.url}/m/cases/${caseRecord?.caseId}`, {
          headers: { authorization: await token(manager('S1')) },
        })
      ).json()) as { comment?: string };
      return current.comment === 'Waited 40 minutes at the till.';
    });

    const foreign = await fetch(`${api.url}/m/cases/${caseRecord?.caseId}`, {
      headers: { authorization: await token(manager('S2')) },
    });
    expect(foreign.status).toBe(403);

    const contacted = await fetch(`${api.url}/m/cases/${caseRecord?.caseId}/calls`, {
      method: 'POST',
      headers: { authorization: await token(manager('S1')), 'content-type': 'application/json' },
      body: JSON.stringify({
        outcome: 'reached',
        note: 'Called Ada, apologised.',
        requestId: 'e2e-call-ada',
      }),
    });
    expect(contacted.status).toBe(200);

    // A second detractor whom nobody calls is escalated once, after 24 hours.
    await importCustomers(
      recordsOf([[...customerCsvColumns], ['C2', `c2@${domain}`, 'Bo', 'Lee', 'S1', 'en']]),
      {
        customers: stack.customers,
        stores: stack.stores,
      },
    );
    await runTick(stack.schedule, addDays(new Date(), 30));
    const second = await eventually(async () => (await sentEmails((to) => to === `c2@${domain}`))[0]);
    const token2 = /\/s\/([A-Za-z0-9_-]{22})\?/.exec(second.body.html ?? '')?.[1] ?? '';
    await fetch(`${api.url}/s/${token2}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"score":1}',
    });
    await eventually(
      async () =>
        (await sentEmails((to) => to === manager('S1'))).filter((email) =>
          email.subject.startsWith('Detractor at'),
        ).length === 2,
    );

    const later = new Date(Date.now() + 25 * 3_600_000);
    expect((await runTick(stack.schedule, later)).escalations).toBe(1);
    expect((await runTick(stack.schedule, new Date(later.getTime() + 3_600_000))).escalations).toBe(0);
    const escalations = await eventually(async () => {
      const sent = await pipelineEmails((to) => to === `region@${domain}`);
      return sent.length > 0 && sent;
    });
    expect(escalations).toHaveLength(1);
    expect(escalations[0]?.subject).toContain('Bo Lee');
  });

  it('opens the case of an alert from its link, records a call and closes the case with a resolution', async () => {
    const alert = (await sentEmails((to) => to === manager('S1'))).find(
      (email) => email.subject.startsWith('Detractor at') && email.subject.includes('Bo Lee'),
    );
    const link = /(http\S+\/m\?case=[\w-]+)/.exec(alert?.body.text ?? '')?.[1] ?? '';
    expect(link).not.toBe('');
    const caseId = new URL(link).searchParams.get('case') ?? '';
    const page = await browser.newPage();
    const problems = watchForProblems(page);
    await page.goto(link);
    await signIn(page, manager('S1'));

    // The case opens: the customer, the comment-less answer, nothing recorded yet.
    await page.getByRole('heading', { name: 'Bo Lee', level: 2 }).waitFor();
    await page.getByText('Nothing recorded yet.').waitFor();
    expect(await page.getByRole('link', { name: /^Call / }).isVisible()).toBe(false); // no phone on file
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('radio', { name: 'Left a voicemail' }).check();
    await page.getByLabel('Note (optional)').first().fill('Left a voicemail, will try again <tomorrow>.');
    const saveCall = page.getByRole('button', { name: 'Save the call' });
    await saveCall.dblclick(); // a double tap records one call
    await page.getByText('Call: Left a voicemail').waitFor();
    await page.getByText('Left a voicemail, will try again <tomorrow>.').waitFor();

    await page.getByRole('radio', { name: 'Other' }).check();
    await page.getByRole('button', { name: 'Close the case' }).click();
    // The note is required for "Other": the browser asks for it before anything is sent.
    await page.getByLabel('Note (required for Other)').fill('Reached her by e-mail instead; voucher sent.');
    await page.getByRole('button', { name: 'Close the case' }).click();
    await page.getByText(/^Closed .*: Other\./).waitFor();
    expect(await page.getByRole('button', { name: 'Save the call' }).isVisible()).toBe(false);

    const stored = (await (
      await fetch(`${api.url}/m/cases/${caseId}`, { headers: { authorization: await bearer(manager('S1')) } })
    ).json()) as {
      status: string;
      calls: { outcome: string; note?: string }[];
      resolution?: { kind: string; note?: string };
    };
    expect(stored.status).toBe('closed');
    expect(stored.calls).toEqual([
      expect.objectContaining({ outcome: 'voicemail', note: 'Left a voicemail, will try again <tomorrow>.' }),
    ]);
    expect(stored.resolution).toMatchObject({
      kind: 'other',
      note: 'Reached her by e-mail instead; voucher sent.',
    });

    // Back to the list: what needs doing no longer holds the closed case, not even while the list
    // loads again (held a second here, as on a slow connection).
    await page.route(/\/m\/cases\?/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue();
    });
    await page.getByRole('link', { name: 'Back to the list' }).click();
    expect(await page.getByRole('link', { name: /Bo Lee/ }).count()).toBe(0);
    await expect(page.locator('#count').textContent()).resolves.toBe('Loading…');
    await page.getByText(/cases? shown\.|Nothing to show here\./).waitFor();
    expect(await page.getByRole('link', { name: /Bo Lee/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps another store's manager out of a case, also after they change their own e-mail in the provider", async () => {
    const [caseRecord] = (
      (await (
        await fetch(`${api.url}/m/cases?status=all`, {
          headers: { authorization: await bearer(manager('S1')) },
        })
      ).json()) as { cases: { caseId: string }[] }
    ).cases;
    const caseUrl = `${api.url}/m/cases/${caseRecord?.caseId}`;
    const other = await signInAs(manager('S2'));
    expect((await fetch(caseUrl, { headers: { authorization: other.bearer } })).status).toBe(403);

    const cognito = cognitoOfProvider();
    try {
      // Another account's address cannot be taken, as Cognito refuses an e-mail alias held by another user.
      await expect(
        cognito.send(
          new UpdateUserAttributesCommand({
            AccessToken: other.accessToken,
            UserAttributes: [{ Name: 'email', Value: manager('S1') }],
          }),
        ),
      ).rejects.toMatchObject({ name: 'AliasExistsException' });
      // A new address of their own counts once verified with the code mailed to it (keepOriginal).
      const renamed = `renamed.s2@${domain}`;
      await cognito.send(
        new UpdateUserAttributesCommand({
          AccessToken: other.accessToken,
          UserAttributes: [{ Name: 'email', Value: renamed }],
        }),
      );
      const codeMail = await eventually(async () => (await sentEmails((to) => to === renamed))[0]);
      const code = /code: (\S+)/.exec(codeMail.body.text ?? '')?.[1] ?? '';
      await cognito.send(
        new VerifyUserAttributeCommand({
          AccessToken: other.accessToken,
          AttributeName: 'email',
          Code: code,
        }),
      );
    } finally {
      cognito.destroy();
    }
    const again = await signInAs(`renamed.s2@${domain}`);
    expect(decodeJwt(again.idToken)).toMatchObject({
      sub: other.sub,
      email: `renamed.s2@${domain}`,
      email_verified: true,
    });
    expect((await fetch(caseUrl, { headers: { authorization: again.bearer } })).status).toBe(403);
    // Their own store's cases they still see: access follows the account, not the address.
    expect((await fetch(`${api.url}/m/cases`, { headers: { authorization: again.bearer } })).status).toBe(
      200,
    );
  });

  it('is usable on a 375 px phone: no sideways scrolling, large targets, and it passes axe-core', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const problems = watchForProblems(page);
    await page.goto(`${api.url}/m`);
    await signIn(page, manager('S1'));
    await page.getByRole('combobox', { name: 'Show' }).selectOption('all');
    const firstCard = page.getByRole('link', { name: /Ada Byron/ });
    await firstCard.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/managers-page-list.png', fullPage: true });

    await firstCard.click();
    await page.getByRole('heading', { name: 'Ada Byron', level: 2 }).waitFor();
    expect(await page.getByRole('link', { name: 'Call +33 6 12 34 56 78' }).getAttribute('href')).toBe(
      'tel:+33612345678',
    );
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    for (const control of [
      page.getByRole('button', { name: 'Save the call' }),
      page.locator('label', { has: page.getByRole('radio', { name: 'Reached the customer' }) }),
      page.getByRole('link', { name: 'Back to the list' }),
    ]) {
      const box = await control.evaluate((node) =>
        (node.closest('label') ?? node).getBoundingClientRect().toJSON(),
      );
      expect((box as { height: number }).height).toBeGreaterThanOrEqual(40);
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: 'test-output/managers-page.png', fullPage: true });
    expect(readFileSync('test-output/managers-page.png').subarray(1, 4).toString()).toBe('PNG');
    expect(problems).toEqual([]);
    await page.close();
  });
});
