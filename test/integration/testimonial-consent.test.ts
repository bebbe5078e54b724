import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAggregateRepository } from '../../functions/adapters/aggregate-repository';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { createConsentRepository } from '../../functions/adapters/consent-repository';
import { createConsentedQuotes } from '../../functions/adapters/consented-quotes';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { createThemeExampleRepository } from '../../functions/adapters/theme-example-repository';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { CONSENT_WORDING_VERSION, currentConsentWording } from '../../functions/domain/testimonial-consent';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import type { SurveyRecord } from '../../functions/schemas/survey';
import { eraseCustomer } from '../../functions/use-cases/customer-privacy';
import { segmentRows, writeSegmentFile } from '../../functions/use-cases/export-segment';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { buildReport } from '../../functions/use-cases/report';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { scanTable } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { eventually } from '../support/local-stack';
import { type StoredEmail, sentEmails } from '../support/ses-store';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let domain: string;
const tokens = new Map<string, string>();
const brand = () => stack.env.BRAND_NAME ?? '';

const surveys = () => createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
const consents = () =>
  createConsentRepository(stack.db, {
    surveys: stack.env.SURVEYS_TABLE ?? '',
    aggregates: stack.env.AGGREGATES_TABLE ?? '',
  });
const surveyOf = async (id: string) =>
  (await surveys().get(surveyKeyOf(tokens.get(id) ?? ''))) as SurveyRecord;

const post = (path: string, fields: Record<string, string>, accept = 'text/html') =>
  fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: new URLSearchParams(fields).toString(),
  });

/** Answers like a person pressing Send, and returns the thank-you page. */
const answer = async (id: string, score: number, comment: string) => {
  const response = await post(`/s/${tokens.get(id)}`, { score: String(score), comment, source: 'form' });
  expect(response.status).toBe(200);
  return response.text();
};

const consent = (id: string, signature: string, accept?: string) =>
  post(`/s/${tokens.get(id)}/consent`, { signature, wordingVersion: CONSENT_WORDING_VERSION }, accept);

const confirmations = async (id: string) =>
  (await sentEmails((to) => to === `${id.toLowerCase()}@${domain}`)).filter((email) =>
    (email.body.text ?? '').includes('/q/'),
  );

/** The testimonials export as JSON Lines, parsed. */
const exported = async () => {
  const chunks: string[] = [];
  const { Writable } = await import('node:stream');
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const repo = stack.customers;
  await writeSegmentFile(
    segmentRows(
      {
        customers: repo,
        testimonials: {
          customers: repo,
          consents: createConsentedQuotes(stack.db, stack.env.SURVEYS_TABLE ?? ''),
        },
      },
      { segment: 'testimonials', storeIds: new Set(['S1', 'S2']) },
    ),
    sink,
    { format: 'jsonl', segment: 'testimonials' },
  );
  return chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};

/** Consents standing, recounted from the surveys themselves, per scope and month of `countedAt`. */
const recount = async () => {
  const counts = new Map<string, number>();
  for (const item of await scanTable(stack.db, stack.env.SURVEYS_TABLE ?? '')) {
    const countedAt = (item.consent as { countedAt: string } | undefined)?.countedAt;
    if (countedAt === undefined) continue;
    for (const scope of [`store#${item.storeId}`, 'all']) {
      for (const period of [`month#${countedAt.slice(0, 7)}`, `day#${countedAt.slice(0, 10)}`]) {
        const key = `${scope} ${period}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return counts;
};

/** The aggregates' consentedQuotes for every scope and period the recount or the aggregates name. */
const expectCountersToMatchRecount = async () => {
  const expected = await recount();
  const aggregates = createAggregateRepository(stack.db, stack.env.AGGREGATES_TABLE ?? '');
  const stored = new Map<string, number>();
  for (const scope of ['store#S1', 'store#S2', 'all']) {
    for (const item of await aggregates.query(scope, 'day#0000', 'month#9999')) {
      const count = Number(item.consentedQuotes ?? 0);
      if (count !== 0) stored.set(`${scope} ${item.period}`, count);
    }
  }
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(expected));
};

beforeAll(async () => {
  stack = await startIsolatedStack('consent');
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      [...storeCsvColumns, 'testimonialTarget'],
      ['S1', 'Lyon', `m1@${domain}`, '', 'Europe/Paris', '3'],
      ['S2', 'Nice', `m2@${domain}`, '', 'Europe/Paris', ''],
    ]),
    { stores: stack.stores },
  );
  const people = [
    ['MARIE', 'Marie', 'Dupont', 'S1', 'fr'],
    ['ANNA', 'Anna', 'Smith', 'S1', 'en'],
    ['LUIS', 'Luis', 'García', 'S2', 'es'],
    ['PAT', 'Pat', 'Jones', 'S2', 'en'],
  ];
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...people.map(([id, first, last, store, locale]) => [
        id ?? '',
        `${id?.toLowerCase()}@${domain}`,
        first ?? '',
        last ?? '',
        store ?? '',
        locale ?? '',
      ]),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
  const mails: StoredEmail[] = await sentEmails((to) => to.endsWith(`@${domain}`));
  for (const mail of mails) {
    const id = (mail.destination.to[0] ?? '').split('@')[0]?.toUpperCase() ?? '';
    tokens.set(id, /\/s\/([A-Za-z0-9_-]{22})\?/.exec(mail.body.html ?? '')?.[1] ?? '');
  }
  expect([...tokens.keys()].sort()).toEqual(['ANNA', 'LUIS', 'MARIE', 'PAT']);
});

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('consent to be quoted, over the emulators', () => {
  it('asks a promoter who wrote why, and nobody else', async () => {
    const thanks = await answer('MARIE', 10, 'Une équipe formidable, merci !');
    expect(thanks).toContain('Pouvons-nous vous citer ?');
    expect(thanks).toContain('Avec mon prénom et l’initiale de mon nom : Marie D.');
    expect(thanks).toContain(currentConsentWording('fr', brand()).text.replace('’', '&#39;').slice(0, 20));
    expect(await answer('PAT', 10, '')).not.toContain('id="consent"');
    expect(await answer('LUIS', 7, 'Bien')).not.toContain('id="consent"');
    const refused = await consent('LUIS', 'anonymous', 'application/json');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: 'not_quotable' });
  });

  it('refuses a consent without a signature with the form again, and bad JSON with a 400 that says why', async () => {
    const noChoice = await post(`/s/${tokens.get('MARIE')}/consent`, {
      wordingVersion: CONSENT_WORDING_VERSION,
    });
    expect(noChoice.status).toBe(400);
    expect(await noChoice.text()).toContain('Choisissez comment signer vos mots.');
    const badJson = await fetch(`${api.url}/s/${tokens.get('MARIE')}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature: 'nickname', wordingVersion: 'v0' }),
    });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { issues: string[] }).issues.join(' ')).toMatch(
      /signature.*wordingVersion/s,
    );
    const unknown = await consent('MARIE', 'anonymous');
    expect(unknown.status).toBe(200);
    expect((await surveyOf('MARIE')).consent?.signature).toBe('anonymous');
  });

  it('stores the consent with its exact wording, mails one confirmation, and puts the quote in the export', async () => {
    const first = await consent('MARIE', 'first-name-initial');
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('avec la signature « Marie D. »');
    const again = await consent('MARIE', 'first-name-initial');
    expect(again.status).toBe(200);
    const stored = (await surveyOf('MARIE')).consent;
    expect(stored).toMatchObject({
      signature: 'first-name-initial',
      signatureText: 'Marie D.',
      quote: 'Une équipe formidable, merci !',
      score: 10,
      wording: {
        version: CONSENT_WORDING_VERSION,
        language: 'fr',
        text: currentConsentWording('fr', brand()).text,
      },
    });
    expect(stored?.mailedAt).toBeDefined();
    // One e-mail for the anonymous consent, one for its change to "Marie D.", none for the double submit.
    const mails = await eventually(async () => {
      const found = await confirmations('MARIE');
      return found.length >= 2 && found;
    });
    expect(mails).toHaveLength(2);
    const latest = mails.find((mail) => (mail.body.text ?? '').includes('Signé : Marie D.'));
    expect(latest?.body.text).toContain(`${api.url}/q/${tokens.get('MARIE')}`);

    await answer('ANNA', 9, 'Lovely staff');
    expect((await consent('ANNA', 'full-name')).status).toBe(200);
    const rows = await exported();
    expect(rows.map((row) => [row.customerId, row.signature, row.comment])).toEqual(
      expect.arrayContaining([
        ['MARIE', 'Marie D.', 'Une équipe formidable, merci !'],
        ['ANNA', 'Anna Smith', 'Lovely staff'],
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.customerId === 'MARIE')).toMatchObject({
      signatureChoice: 'first-name-initial',
      consentLanguage: 'fr',
      consentWordingVersion: CONSENT_WORDING_VERSION,
      consentedAt: stored?.givenAt,
    });
    await expectCountersToMatchRecount();
  });

  it('counts this year’s consents per store and overall against the targets in the report', async () => {
    const report = await buildReport(
      {
        aggregates: createAggregateRepository(stack.db, stack.env.AGGREGATES_TABLE ?? ''),
        stores: stack.stores,
        testimonialTarget: 5,
      },
      { kind: 'all-stores', user: 't', sub: 't', role: 'admin' },
      {
        from: `${new Date().getUTCFullYear()}-01-01`,
        to: new Date().toISOString().slice(0, 10),
        by: 'month',
      },
    );
    expect(
      report.testimonials?.stores.map((store) => [store.storeId, store.consented, store.target]),
    ).toEqual([
      ['S1', 2, 3],
      ['S2', 0, 5],
    ]);
    expect(report.testimonials?.overall).toMatchObject({
      consented: 2,
      target: 8,
      remaining: 6,
      percent: 25,
    });
  });

  it('withdraws from the e-mail’s link: a GET only asks, a POST withdraws once, and the quote leaves the export', async () => {
    const link = `${api.url}/q/${tokens.get('MARIE')}`;
    const question = await fetch(link);
    expect(question.status).toBe(200);
    expect(await question.text()).toContain('Ne plus permettre');
    expect((await surveyOf('MARIE')).consent).toBeDefined();
    for (const attempt of [1, 2]) {
      const response = await post(`/q/${tokens.get('MARIE')}`, {});
      expect(response.status, `withdrawal ${attempt}`).toBe(200);
      expect(await response.text()).toContain(attempt === 1 ? 'Votre accord est retiré' : 'Rien à retirer');
    }
    const survey = await surveyOf('MARIE');
    expect(survey.consent).toBeUndefined();
    expect(survey.quoteShard).toBeUndefined();
    expect((await exported()).map((row) => row.customerId)).toEqual(['ANNA']);
    await expectCountersToMatchRecount();
    expect(await (await fetch(`${api.url}/q/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
  });

  it('takes the consent and the quote away with `customer erase`', async () => {
    await stack.consumers.answerStream.drain(60_000);
    await stack.consumers.followUps.drain(60_000);
    const before = (await surveyOf('ANNA')).consent;
    expect(before).toBeDefined();
    const deps = {
      customers: stack.customers,
      surveys: surveys(),
      cases: createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '', stack.env.AGGREGATES_TABLE),
      consents: consents(),
      themeExamples: createThemeExampleRepository(stack.db, stack.env.AGGREGATES_TABLE ?? ''),
    };
    await eraseCustomer(deps, 'ANNA', { now: new Date() });
    const { Item } = await stack.db.send(
      new GetCommand({
        TableName: stack.env.SURVEYS_TABLE,
        Key: { token: surveyKeyOf(tokens.get('ANNA') ?? '') },
      }),
    );
    expect(Item?.customerId).toBe('erased');
    expect(Item?.consent).toBeUndefined();
    expect(JSON.stringify(Item)).not.toContain('Lovely staff');
    expect(await exported()).toEqual([]);
    await expectCountersToMatchRecount();
    expect(await eraseCustomer(deps, 'ANNA', { now: new Date() })).toMatchObject({ surveys: 0 });
  });
});
