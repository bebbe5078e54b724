import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../local/api-server';
import { accessibilityViolations, launchChromium } from '../support/browser';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { signInOnPage } from '../support/staff';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let browser: Browser;
let issuerUrl: string;

beforeAll(async () => {
  stack = await startIsolatedStack('sign-in');
  api = await startApiServer({ port: 0 });
  issuerUrl = stack.env.OIDC_ISSUER_URL ?? '';
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await api?.stop();
});

describe('staff sign-in through the local OpenID Connect provider, in Chromium', () => {
  it('sends a signed-out reader of the dashboard to the login form, back once signed in, and out again', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    const marketer = `marketer@${stack.namespace}.example.com`;

    await page.goto(`${api.url}/d`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${issuerUrl}/interaction/`));
    expect(await accessibilityViolations(page)).toEqual([]);

    await signInOnPage(page, marketer, { groups: ['marketing'], returnTo: new RegExp(`^${api.url}/d$`) });
    await page.locator('body[data-ready="true"]').waitFor();
    await expect(page.locator('#viewer').textContent()).resolves.toBe(
      `Signed in as ${marketer} (all stores).`,
    );
    // Nothing of the sign-in is left in the address bar.
    expect(page.url()).toBe(`${api.url}/d`);

    await page.getByRole('button', { name: 'Sign out' }).click();
    // Signed out of the provider too: back on the page, which asks for the password again.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${issuerUrl}/interaction/`));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('brings a manager following a link to a case back to that case once signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const manager = `manager@${stack.namespace}.example.com`;
    const caseLink = `${api.url}/m?case=${encodeURIComponent('S1#2027-01-05#c1')}#case`;

    await page.goto(caseLink);
    await signInOnPage(page, manager, { returnTo: /\/m\?case=/ });
    await expect(page.locator('#viewer').textContent()).resolves.toBe(`Signed in as ${manager}.`);
    expect(page.url()).toBe(caseLink);
    await context.close();
  });
});
