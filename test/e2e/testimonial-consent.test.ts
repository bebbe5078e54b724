import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { CONSENT_WORDING_VERSION } from '../../functions/domain/testimonial-consent';
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
let domain: string;
const invitations = new Map<string, StoredEmail>();

const tokenOf = (id: string) =>
  /\/s\/([A-Za-z0-9_-]{22})\?/.exec(invitations.get(id)?.body.html ?? '')?.[1] ?? '';
const surveyOf = (id: string) =>
  createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '').get(surveyKeyOf(tokenOf(id)));
const confirmationsOf = async (id: string) =>
  (await sentEmails((to) => to === `${id.toLowerCase()}@${domain}`)).filter((email) =>
    (email.body.text ?? '').includes('/q/'),
  );

beforeAll(async () => {
  stack = await startIsolatedStack('consent-page');
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([[...storeCsvColumns], ['S1', 'Sevilla Centro', `m@${domain}`, '', 'Europe/Madrid']]),
    { stores: stack.stores },
  );
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ['LUIS', `luis@${domain}`, 'Luis', 'García', 'S1', 'es'],
      ['NOJS', `nojs@${domain}`, 'Nora', 'Jones', 'S1', 'en'],
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
  for (const email of await sentEmails((to) => to.endsWith(`@${domain}`))) {
    invitations.set((email.destination.to[0] ?? '').split('@')[0]?.toUpperCase() ?? '', email);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await api?.stop();
});

describe('consent to be quoted, in a real browser', () => {
  it('asks a promoter in their language, records the signature chosen, and withdraws from the e-mail’s link', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.setContent(invitations.get('LUIS')?.body.html ?? '');
    await page.getByRole('link', { name: '10', exact: true }).click();
    await page
      .getByLabel('¿Por qué ha dado esta puntuación? (opcional)')
      .fill('Atención <excelente> & rápida');
    await page.getByRole('button', { name: 'Enviar' }).click();

    await page.getByRole('heading', { name: '¿Podemos citarle?' }).waitFor();
    await expect(page.getByText('Atención <excelente> & rápida').isVisible()).resolves.toBe(true);
    const group = page.getByRole('group', { name: '¿Cómo firmamos sus palabras?' });
    await expect(group.getByRole('radio').count()).resolves.toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    await group.getByLabel('Con mi nombre y la inicial del apellido: Luis G.').check();
    await page.getByRole('button', { name: 'Sí, pueden citarme' }).click();

    await page.getByRole('heading', { name: 'Gracias por sus palabras' }).waitFor();
    await expect(page.getByText('con la firma «Luis G.»').isVisible()).resolves.toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await surveyOf('LUIS'))?.consent).toMatchObject({
      signature: 'first-name-initial',
      signatureText: 'Luis G.',
      wording: { language: 'es' },
    });

    const [confirmation] = await eventually(async () => {
      const found = await confirmationsOf('LUIS');
      return found.length > 0 && found;
    });
    expect(confirmation?.subject).toContain('ha aceptado que le citemos');
    await page.setContent(confirmation?.body.html ?? '');
    await page.getByRole('link', { name: 'Retirar mi consentimiento' }).click();
    await page.getByRole('heading', { name: 'Retirar su consentimiento' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    // Opening the link withdrew nothing: a link scanner may have fetched it.
    expect((await surveyOf('LUIS'))?.consent).toBeDefined();
    await page.getByRole('button', { name: 'Retirar mi consentimiento' }).click();
    await page.getByRole('heading', { name: 'Su consentimiento está retirado' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await surveyOf('LUIS'))?.consent).toBeUndefined();

    // The link again: a clear page saying there is nothing left to withdraw.
    await page.reload();
    await page.getByRole('heading', { name: 'Nada que retirar' }).waitFor();
    await page.close();
  });

  it('works without script, and a double submit records one consent and sends one e-mail', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const link = /href="([^"]+\?score=9)"/.exec(invitations.get('NOJS')?.body.html ?? '')?.[1] ?? '';
    await page.goto(link.replaceAll('&amp;', '&'));
    await page.getByLabel('Why did you give this score? (optional)').fill('Quick and friendly');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'May we quote you?' }).waitFor();
    await page.getByLabel('Anonymously: “A customer”').check();
    // A double click posts the form twice; then the browser's "send again" of the same form.
    const action = new URL(
      (await page.locator('#consent').getAttribute('action')) ?? '',
      page.url(),
    ).toString();
    await page.getByRole('button', { name: 'Yes, you may quote me' }).dblclick();
    await page.getByRole('heading', { name: 'Thank you for your words' }).waitFor();
    const again = await page.request.post(action, {
      form: { signature: 'anonymous', wordingVersion: CONSENT_WORDING_VERSION },
    });
    expect(again.status()).toBe(200);
    expect(await again.text()).toContain('signed “A customer”');
    expect((await surveyOf('NOJS'))?.consent).toMatchObject({
      signature: 'anonymous',
      quote: 'Quick and friendly',
    });
    await eventually(async () => (await confirmationsOf('NOJS')).length > 0);
    expect(await confirmationsOf('NOJS')).toHaveLength(1);
    await context.close();
  });
});
