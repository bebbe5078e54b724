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
import { eventually } from '../support/local-stack';
import { pipelineEmails, sentEmails } from '../support/ses-store';
import { signInAs, signInOnPage } from '../support/staff';
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
  await syncStaffAccounts(stack.stores);
  await importCustomers(
    recordsOf([[...customerCsvColumns], ['C1', `c1@${domain}`, 'Ada', 'Byron', 'S1', 'en']]),
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
    expect(withComment.body.text).toContain(`${api.url}/m`);
    const alert = await eventually(
      async () =>
        (await sentEmails((to) => to === manager('S1'))).find((email) =>
          email.subject.startsWith('Detractor at'),
        ),
      10_000,
    );
    expect(alert.subject).toContain('gave 3/10');

    const token = async (email: string) => (await signInAs(email)).bearer;
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

    const contacted = await fetch(`${api.url}/m/cases/${caseRecord?.caseId}`, {
      method: 'POST',
      headers: { authorization: await token(manager('S1')), 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'contacted', note: 'Called Ada, apologised.' }),
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

  it('gives managers a page to sign in, see their cases and record a call', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/m`);
    await signInOnPage(page, manager('S1'));
    await page.getByText('Waited 40 minutes at the till.').waitFor();
    await page
      .getByLabel('Note for the next update (optional)')
      .fill('Left a voicemail, will try again <tomorrow>.');
    await page.getByRole('button', { name: `Mark Bo Lee contacted` }).click();
    const row = page.getByRole('row', { name: /Bo Lee/ });
    await row.getByRole('cell', { name: 'contacted', exact: true }).waitFor();
    const cases = (await (
      await fetch(`${api.url}/m/cases`, {
        headers: {
          authorization: (await signInAs(manager('S1'))).bearer,
        },
      })
    ).json()) as { cases: { customer: { name: string }; status: string; notes: { text: string }[] }[] };
    const updated = cases.cases.find((listed) => listed.customer.name === 'Bo Lee');
    expect(updated?.status).toBe('contacted');
    expect(updated?.notes.at(-1)?.text).toBe('Left a voicemail, will try again <tomorrow>.');
    await page.close();
  });
});
