import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { addDays } from '../../functions/domain/schedule';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { launchChromium } from '../support/browser';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { type StoredEmail, sentEmails } from '../support/ses-store';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let browser: Browser;
let email: StoredEmail;
const requests: string[] = [];

beforeAll(async () => {
  stack = await startIsolatedStack('browser');
  api = await startApiServer({ port: 0 });
  api.server.on('request', (request) => requests.push(`${request.method} ${request.url}`));
  process.env.PUBLIC_API_URL = api.url;
  const address = `ada@${stack.namespace}.example.com`;
  await importStores(
    recordsOf([[...storeCsvColumns], ['S1', 'Lyon 1', 'm@stores.example.com', '', 'Europe/Paris']]),
    {
      stores: stack.stores,
    },
  );
  await importCustomers(
    recordsOf([[...customerCsvColumns], ['C1', address, 'Ada', 'Lovelace', 'S1', 'fr']]),
    {
      customers: stack.customers,
      stores: stack.stores,
    },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
  [email] = (await sentEmails((to) => to === address)) as [StoredEmail];
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await api?.stop();
});

describe('the invitation e-mail in a real browser', () => {
  it('shows eleven score buttons in one row on a phone, and a click lands on the survey page URL', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.setContent(email.body.html ?? '');

    const buttons = page.getByRole('link', { name: /^(10|[0-9])$/ });
    await expect(buttons.count()).resolves.toBe(11);
    const boxes = await Promise.all((await buttons.all()).map((button) => button.boundingBox()));
    expect(new Set(boxes.map((box) => Math.round(box?.y ?? -1))).size).toBe(1); // one row
    expect(Math.max(...boxes.map((box) => (box?.x ?? 0) + (box?.width ?? 0)))).toBeLessThanOrEqual(375); // no overflow
    expect(Math.min(...boxes.map((box) => box?.height ?? 0))).toBeGreaterThanOrEqual(36); // tappable

    await page.getByRole('link', { name: '7', exact: true }).click();
    await page.waitForURL(/\/s\/[A-Za-z0-9_-]{22}\?score=7$/);
    expect(page.url().startsWith(`${api.url}/s/`)).toBe(true);
    expect(requests.some((request) => /^GET \/s\/[A-Za-z0-9_-]{22}\?score=7$/.test(request))).toBe(true);
    await page.close();
  });

  it('reads the unsubscribe link and lands on its confirmation page without unsubscribing', async () => {
    const page = await browser.newPage();
    await page.setContent(email.body.html ?? '');
    await page.getByRole('link', { name: 'Ne plus recevoir ces enquêtes' }).click();
    await page.waitForURL(/\/u\//);
    await expect(page.getByRole('button', { name: 'Me désinscrire' }).isVisible()).resolves.toBe(true);
    expect((await stack.customers.get('C1'))?.contactStatus).toBe('subscribed');

    await page.getByRole('button', { name: 'Me désinscrire' }).click();
    await expect(page.getByRole('heading', { name: 'Vous êtes désinscrit' }).isVisible()).resolves.toBe(true);
    expect((await stack.customers.get('C1'))?.contactStatus).toBe('unsubscribed');
    await page.close();
  });
});
