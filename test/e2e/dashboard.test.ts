import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAnswerRepository } from '../../functions/adapters/answer-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { categoryOf, npsOf } from '../../functions/domain/nps';
import { addDays } from '../../functions/domain/schedule';
import { customerCsvColumns } from '../../functions/schemas/customer';
import type { DashboardData } from '../../functions/schemas/report';
import { storeCsvColumns } from '../../functions/schemas/store';
import { answerSurvey } from '../../functions/use-cases/answer-survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { accessibilityViolations, launchChromium } from '../support/browser';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { eventually } from '../support/local-stack';
import { sentEmails } from '../support/ses-store';
import { signInAs, signInOnPage } from '../support/staff';
import { syncStaffAccounts } from '../support/staff-bindings';

const screenshotPath = 'test-output/dashboard.png';
const hostile = '<img src=x onerror=alert(1)> slow queue';

/**
 * What is seeded: three stores, answers spread over the last six months. Lyon has enough answers
 * for a confident NPS, Boston fewer than 30 (greyed), Madrid's customers never answer.
 */
const stores = [
  ['S1', 'Lyon Part-Dieu'],
  ['S2', 'Boston Back Bay'],
  ['S3', 'Madrid Sol'],
] as const;
const scores: Record<string, readonly number[]> = {
  S1: Array.from({ length: 3 }, () => [10, 9, 9, 10, 8, 7, 9, 6, 10, 3, 9, 8]).flat(),
  S2: [2, 5, 9, 7, 6, 10, 4, 8, 3, 9, 6, 1],
  S3: [],
};
const silentCustomers = 2;
const now = new Date();
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
/** Answer `index` of a store: about a month apart, the first ones most recent (the hostile comment the latest). */
const answeredAt = (index: number) => hoursAgo(index === 0 ? 2 : 24 * (3 + (index % 6) * 30 + index));
const commentOf = (store: string, index: number) => {
  if (store === 'S2' && index === 0) return hostile;
  return index === 1 ? `Comment from ${store}: kind staff & fast` : undefined;
};

/** The reasons answer `index` picked on the survey page. */
const reasonsOf = (index: number) =>
  index % 3 === 0 ? (['staff'] as const) : index % 3 === 1 ? (['price', 'delivery'] as const) : ([] as const);

const allScores = Object.values(scores).flat();
const tally = (list: readonly number[]) => ({
  promoters: list.filter((score) => categoryOf(score) === 'promoter').length,
  passives: list.filter((score) => categoryOf(score) === 'passive').length,
  detractors: list.filter((score) => categoryOf(score) === 'detractor').length,
});
/** What the page shows for an NPS and its margin: whole points, a real minus sign. */
const npsText = (list: readonly number[]) => {
  const { nps, marginOfError } = npsOf(tally(list));
  return `${String(Math.round(nps ?? 0)).replace('-', '\u2212')} \u00b1 ${Math.round(marginOfError ?? 0)}`;
};

const benchmarks = {
  'industry-median': { name: 'Industry median', value: 10, date: '2026-06-30' },
  'rival-boston': { name: 'Rival Boston', value: 60, sampleSize: 500, date: '2026-09-01', storeId: 'S2' },
};

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let browser: Browser;
let domain: string;
const manager = (store: string) => `manager.${store.toLowerCase()}@${domain}`;
const tokenOf = async (email: string, groups: readonly string[] = []) =>
  (await signInAs(email, { groups })).idToken;

const dashboard = async (token: string, query = '') =>
  fetch(`${api.url}/r/dashboard${query}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  stack = await startIsolatedStack('dashboard');
  domain = `${stack.namespace}.example.com`;
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ...stores.map(([storeId, name]) => [storeId, name, manager(storeId), '', 'Europe/Paris']),
    ]),
    { stores: stack.stores },
  );
  await syncStaffAccounts(stack.stores);
  const customers = Object.entries(scores).flatMap(([store, list]) =>
    Array.from({ length: list.length || silentCustomers }, (_, index) => `${store}C${index}`),
  );
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...customers.map((id) => [id, `${id.toLowerCase()}@${domain}`, 'Sam', 'Doe', id.slice(0, 2), 'en']),
    ]),
    // Imported 40 days ago: every first survey (spread over four weeks) is due, and sent, today.
    { customers: stack.customers, stores: stack.stores, now: () => addDays(now, -40) },
  );
  await runTick(stack.schedule, now);
  await stack.consumers.invitations.drain();
  const linkOf = new Map(
    (await sentEmails((to) => to.endsWith(`@${domain}`))).map((email) => [
      email.destination.to[0]?.split('@')[0]?.toUpperCase(),
      /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email.body.html ?? '')?.[1] ?? '',
    ]),
  );
  const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
  const answers = createAnswerRepository(stack.db, {
    surveys: stack.env.SURVEYS_TABLE ?? '',
    aggregates: stack.env.AGGREGATES_TABLE ?? '',
  });
  for (const [store, list] of Object.entries(scores)) {
    for (const [index, score] of list.entries()) {
      const at = answeredAt(index);
      await answerSurvey({ surveys, answers, clock: () => at }, linkOf.get(`${store}C${index}`) ?? '', {
        score,
        comment: commentOf(store, index),
        reasons: [...reasonsOf(index)],
        source: 'form',
      });
    }
  }
  // Counted as in the stack: the Surveys stream counts the answers and hands detractors to follow-up.
  await stack.consumers.answerStream.drain();
  await stack.consumers.followUps.drain();
  const marketing = await tokenOf(`marketing@${domain}`, ['marketing']);
  await eventually(async () => {
    const response = await dashboard(marketing);
    if (!response.ok) return false;
    const data = (await response.json()) as DashboardData;
    return (
      data.report.overall.responses === allScores.length &&
      data.followUps.open === tally(allScores).detractors
    );
  });
  // Marketing's benchmarks: the industry's NPS (no sample size) and a rival of Boston's (500 responses).
  for (const [id, benchmark] of Object.entries(benchmarks)) {
    const response = await fetch(`${api.url}/r/benchmarks/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${marketing}`, 'content-type': 'application/json' },
      body: JSON.stringify(benchmark),
    });
    expect(response.status).toBe(201);
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await api?.stop();
});

interface CanvasLike {
  width: number;
  height: number;
  getContext(type: '2d'): {
    getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
  };
}

/**
 * The size of a chart's canvas and how many of its pixels are painted in each colour asked for (red,
 * green, blue, with a tolerance for anti-aliasing; alpha within a range, opaque by default).
 */
const canvasPixels = (page: Page, selector: string, colours: Record<string, readonly number[]>) =>
  page.evaluate(
    ({ selector, colours }) => {
      const canvas = (
        globalThis as unknown as { document: { querySelector(selector: string): CanvasLike | null } }
      ).document.querySelector(selector);
      if (canvas === null) return undefined;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const counts: Record<string, number> = Object.fromEntries(
        Object.keys(colours).map((name) => [name, 0]),
      );
      for (let i = 0; i < data.length; i += 4) {
        const [r = 0, g = 0, b = 0, a = 0] = data.subarray(i, i + 4);
        if (a === 0) continue;
        for (const [name, [cr = 0, cg = 0, cb = 0, minAlpha = 255, maxAlpha = 255]] of Object.entries(
          colours,
        )) {
          const near = Math.abs(r - cr) <= 3 && Math.abs(g - cg) <= 3 && Math.abs(b - cb) <= 3;
          if (near && a >= minAlpha && a <= maxAlpha) counts[name] = (counts[name] ?? 0) + 1;
        }
      }
      return { width: canvas.width, height: canvas.height, counts };
    },
    { selector, colours },
  );

/** Opens the dashboard in a fresh browser context and signs in through the provider's form, if asked. */
const openDashboard = async (signIn?: { email: string; groups?: readonly string[] }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`${api.url}/d`);
  if (signIn !== undefined) await signInOnPage(page, signIn.email, { groups: signIn.groups ?? [] });
  return { context, page, problems, dialogs };
};

const ready = (page: Page) => page.locator('body[data-ready="true"]').waitFor({ timeout: 15_000 });
const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();

describe('the NPS dashboard for marketing, in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let dialogs: string[];

  beforeAll(async () => {
    ({ context, page, problems, dialogs } = await openDashboard({
      email: `marketing@${domain}`,
      groups: ['marketing'],
    }));
    await ready(page);
  });
  afterAll(() => context?.close());

  it('draws the NPS trend with its margin-of-error band, and the 0-10 distribution in red, amber and green', async () => {
    const trend = await canvasPixels(page, '#nps-trend canvas', {
      line: [29, 78, 216],
      band: [96, 165, 250, 60, 90],
      lowConfidencePoint: [113, 113, 122],
    });
    expect(trend?.width).toBeGreaterThan(200);
    expect(trend?.height).toBeGreaterThan(200);
    expect(trend?.counts.line).toBeGreaterThan(50);
    expect(trend?.counts.band).toBeGreaterThan(500);
    expect(trend?.counts.lowConfidencePoint).toBeGreaterThan(20);

    const bars = await canvasPixels(page, '#distribution canvas', {
      detractors: [185, 28, 28],
      passives: [180, 83, 9],
      promoters: [21, 128, 61],
    });
    expect(bars?.width).toBeGreaterThan(200);
    expect(bars?.counts.detractors).toBeGreaterThan(200);
    expect(bars?.counts.passives).toBeGreaterThan(200);
    expect(bars?.counts.promoters).toBeGreaterThan(200);

    const { promoters, passives, detractors } = tally(allScores);
    await expect(page.locator('#distribution-chart').getAttribute('aria-label')).resolves.toContain(
      `${allScores.length} responses: ${detractors} detractors (0 to 6), ${passives} passives (7 and 8), ${promoters} promoters (9 and 10)`,
    );
    await expect(page.locator('#trend-chart').getAttribute('aria-label')).resolves.toMatch(
      /^NPS trend by month from \d{4}-\d{2}-01 to \d{4}-\d{2}-\d{2}, 12 periods: lowest /,
    );
    expect(await page.locator('#trend-rows tr').count()).toBe(12);
    expect(problems).toEqual([]);
  });

  it('shows the key figures: NPS with its margin, responses, response rate and follow-ups', async () => {
    await expect(page.locator('#kpi-nps .figure').textContent()).resolves.toBe(npsText(allScores));
    await expect(page.locator('#kpi-nps .note').count()).resolves.toBe(0);
    await expect(page.locator('#kpi-responses').textContent()).resolves.toBe(String(allScores.length));
    const { detractors } = tally(allScores);
    await expect(page.locator('#kpi-open').textContent()).resolves.toBe(String(detractors));
    // All detractor cases are past their 24 hours but the latest one, two hours old.
    await expect(page.locator('#kpi-overdue').textContent()).resolves.toBe(String(detractors - 1));
    // Every customer was invited this month, and all but Madrid's answered.
    const invited = allScores.length + silentCustomers;
    await expect(page.locator('#kpi-rate').textContent()).resolves.toBe(
      `${Math.round((allScores.length / invited) * 100)}%`,
    );
    // Every answer here was sent by a person.
    await expect(page.locator('#kpi-scanners').textContent()).resolves.toBe('0');
  });

  it('ranks every store, greys an NPS from fewer than 30 responses and shows – without any', async () => {
    const rows = page.locator('#leaderboard tbody tr');
    await expect(rows.count()).resolves.toBe(stores.length);
    expect(await texts(page, '#leaderboard tbody tr td:nth-child(2)')).toEqual([
      'Lyon Part-Dieu',
      'Boston Back Bay',
      'Madrid Sol',
    ]);
    expect(await texts(page, '#leaderboard tbody tr td:nth-child(1)')).toEqual(['1', '2', '–']);
    expect(await texts(page, '#leaderboard tbody tr td:nth-child(4)')).toEqual(['36', '12', '0']);
    const boston = rows.nth(1).locator('td').nth(2);
    await expect(boston.getAttribute('class')).resolves.toBe('low');
    await expect(boston.textContent()).resolves.toBe(`${npsText(scores.S2 ?? [])}fewer than 30 responses`);
    await expect(rows.nth(0).locator('td').nth(2).textContent()).resolves.toBe(npsText(scores.S1 ?? []));
    await expect(rows.nth(2).locator('td').nth(2).textContent()).resolves.toBe('–');
  });

  it('marks only significant differences, in words, and shows the responses each store needs for ±10', async () => {
    // Lyon 21/9/6 (NPS 41.7) against the rest, Boston 3/2/7 (NPS −33.3): 75 points apart.
    // Lyon: n' = 39, p' = 21.75/39 = .557692, d' = 6.75/39 = .173077, NPS' = .384615,
    //       Var/n' = (.730769 − .147929)/39 = .014945
    // Boston: n' = 15, p' = 3.75/15 = .25, d' = 7.75/15 = .516667, NPS' = −.266667,
    //       Var/n' = (.766667 − .071111)/15 = .046370
    // z = .651282 / √.061315 = .651282 / .247619 = 2.63 > 1.96: both marked, Madrid (no answer) not.
    expect(await texts(page, '#leaderboard tbody tr td:nth-child(6)')).toEqual([
      '\u25b2 75 points above the rest',
      '\u25bc 75 points below the rest',
      '',
    ]);
    // ±10 needs n' ≥ 384.16 · Var: Lyon .582840 → 223.9, 224 − 3 − 36 = 185 more; Boston .695556 →
    // 267.2, 268 − 3 − 12 = 253 more; every invitation answered (rate 1). Madrid: the worst case, 382,
    // and no invitation answered, so no invitation figure.
    expect(await texts(page, '#leaderboard tbody tr td:nth-child(7)')).toEqual([
      '185 more responses (about 185 invitations)',
      '253 more responses (about 253 invitations)',
      '382 more responses',
    ]);
    await expect(page.locator('#rest-scope').textContent()).resolves.toBe(
      'Each store is compared with the rest of the chain, without it.',
    );
    // A month is marked exactly when the report finds its change significant, never for noise.
    const report = (
      (await (await dashboard(await tokenOf(`marketing@${domain}`, ['marketing']))).json()) as DashboardData
    ).report;
    const marks = await texts(page, '#trend-rows td:nth-child(5)');
    expect(marks).toHaveLength(report.periods.length);
    report.periods.forEach((period, index) => {
      expect(marks[index] !== '', period.period).toBe(period.change?.significant === true);
    });
  });

  it('shows the gap to each benchmark, marked only when significant, and the stores apart from it', async () => {
    const rows = page.getByRole('region', { name: 'Against benchmarks' }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    expect(await texts(page, '#benchmark-rows th')).toEqual(['Industry median', 'Rival Boston']);
    // All stores 24/11/13 (NPS 22.9) against a fixed 10: n' = 51, p' = 24.75/51 = .485294,
    // d' = 13.75/51 = .269608, NPS' = .215686, Var/n' = (.754902 − .046521)/51 = .013890,
    // z = .115686 / .117855 = 0.98: within noise, no mark. Lyon against it: z = 2.33, marked; Boston
    // (NPS' −.266667, Var/n' .046370): z = −.366667 / .215337 = −1.70, not marked.
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual([
      'All stores shown',
      '10 (2026-06-30)',
      'unknown: taken as exact',
      npsText(allScores),
      '+13 points',
      '\u25b2 Lyon Part-Dieu',
    ]);
    // Boston −33.3 against 60 from 500 responses (taken as 400 promoters, 100 detractors): n' = 503,
    // NPS' = .596421, Var/n' = (.997018 − .355718)/503 = .001275; z = −.863088 / √.047645 = −3.95.
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual([
      'Boston Back Bay',
      '60 (2026-09-01)',
      '500 responses',
      `${npsText(scores.S2 ?? [])}fewer than 30 responses`,
      '\u221293 points \u25bc significantly below',
      '',
    ]);
    await expect(rows.nth(1).locator('.move.down').count()).resolves.toBe(1);
    await expect(rows.nth(0).locator('.move').count()).resolves.toBe(0);
    await expect(page.locator('#no-benchmarks').isHidden()).resolves.toBe(true);
  });

  it('lists the latest comments as text, newest first, so a hostile comment never becomes markup', async () => {
    const comments = await texts(page, '#comments li');
    expect(comments).toHaveLength(3);
    expect(comments[0]).toContain('2/10 Boston Back Bay');
    expect(comments[0]).toContain(hostile);
    expect(comments.slice(1).every((comment) => comment.includes('kind staff & fast'))).toBe(true);
    await expect(page.locator('#comments img').count()).resolves.toBe(0);
    await expect(page.locator('img').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('shows the reasons picked and the comment themes with their NPS, and example comments as text', async () => {
    const named = (reason: string) =>
      Object.values(scores).flatMap((list) =>
        list.filter((_, index) => (reasonsOf(index) as readonly string[]).includes(reason)),
      );
    // Comments: Boston's two latest answers and Lyon's second.
    await expect(page.locator('#drivers-summary').textContent()).resolves.toBe(
      `${allScores.length} answers: ${named('staff').length + named('price').length} picked reasons, 3 left a comment.`,
    );
    const rows = await page
      .locator('#reason-rows tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((cell) => cell.firstChild?.textContent ?? '')),
      );
    // Most named first; Delivery and Staff (16 each) in the survey page's order.
    expect(rows.map((row) => row[0])).toEqual([
      'Delivery',
      'Staff',
      'Prices',
      'Products',
      'Website',
      'Something else',
    ]);
    const staff = tally(named('staff'));
    const share = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;
    expect(rows[1]).toEqual([
      'Staff',
      String(named('staff').length),
      `${share(staff.promoters, named('staff').length)} / ${share(staff.passives, named('staff').length)} / ${share(staff.detractors, named('staff').length)}`,
      npsText(named('staff')),
      share(staff.detractors, tally(allScores).detractors),
    ]);
    expect(rows[4]?.slice(1)).toEqual(['0', '– / – / –', '–', '0%']);
    // Every comment is about waiting (`slow queue`, `fast`), two about the staff too (`kind`, through
    // the stemmer: the lexicon says `kindness`): two themes, each with its latest examples.
    await expect(texts(page, '#theme-rows th')).resolves.toEqual(['Waiting and speed', 'Staff attitude']);
    const examples = await texts(page, '#theme-examples q');
    expect(examples).toHaveLength(5);
    expect(examples[0]).toBe(hostile);
    await expect(page.locator('#drivers img').count()).resolves.toBe(0);
  });

  it('changes the period grouping and the store with its labelled controls', async () => {
    await page.getByLabel('Store', { exact: true }).selectOption({ label: 'Lyon Part-Dieu' });
    await page.getByLabel('Group by').selectOption('week');
    await page.getByRole('button', { name: 'Show' }).click();
    await ready(page);
    await expect(page.locator('#kpi-nps .figure').textContent()).resolves.toBe(npsText(scores.S1 ?? []));
    const weeks = await texts(page, '#trend-rows th');
    expect(weeks.length).toBeGreaterThanOrEqual(45);
    expect(weeks.every((week) => /^\d{4}-W\d{2}$/.test(week))).toBe(true);
    await expect(page.locator('#status').textContent()).resolves.toContain('by week, Lyon Part-Dieu.');
    // The store list still offers every store.
    expect(await texts(page, '#store option')).toEqual(['All stores', ...stores.map(([, name]) => name)]);

    await page.getByLabel('Store', { exact: true }).selectOption({ label: 'All stores' });
    await page.getByLabel('Group by').selectOption('month');
    await page.getByRole('button', { name: 'Show' }).click();
    await ready(page);
    await expect(page.locator('#kpi-nps .figure').textContent()).resolves.toBe(npsText(allScores));
  });

  it('exports the detractors from its panel, follows the job and links the file, which starts with its header row', async () => {
    const panel = page.getByRole('region', { name: 'Export a segment' });
    await expect(panel.locator('#export-scope').textContent()).resolves.toMatch(
      /^Customers of all stores who answered from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} /,
    );
    await panel.getByLabel('Segment', { exact: true }).selectOption('detractors');
    await panel.getByLabel('Format', { exact: true }).selectOption('csv');
    const [started] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/r/exports')),
      panel.getByRole('button', { name: 'Start export' }).click(),
    ]);
    expect(started.status()).toBe(202);
    expect(JSON.parse(started.request().postData() ?? '{}')).toMatchObject({
      segment: 'detractors',
      format: 'csv',
    });
    await stack.consumers.exports.drain(120_000);
    const link = panel.getByRole('link', { name: 'Download' });
    await link.waitFor({ timeout: 15_000 });
    await expect(panel.getByRole('status').textContent()).resolves.toBe('Ready: Download');
    const download = await fetch((await link.getAttribute('href')) ?? '');
    expect(download.status).toBe(200);
    const [header, ...rows] = (await download.text()).trim().split(/\r?\n/);
    expect(header).toBe(
      'customerId,email,firstName,lastName,storeId,locale,segment,score,answeredAt,comment,reasons,contactStatus,mayEmail,attributes',
    );
    expect(rows).toHaveLength(tally(allScores).detractors);
    expect(problems).toEqual([]);
  });

  it('passes axe-core (WCAG 2 A and AA), with the chart tables open too, and saves a screenshot', async () => {
    for (const summary of await page.locator('summary').all()) await summary.click();
    await expect(page.locator('details[open]').count()).resolves.toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    expect(readFileSync(screenshotPath).subarray(1, 4).toString()).toBe('PNG');
    expect(problems).toEqual([]);
  });
});

describe('the NPS dashboard with a period that cannot be reported', () => {
  it('says what is wrong and keeps the figures already shown', async () => {
    const { context, page } = await openDashboard({ email: `marketing@${domain}`, groups: ['marketing'] });
    await ready(page);
    await page.getByLabel('From', { exact: true }).fill('2026-06-30');
    await page.getByLabel('To', { exact: true }).fill('2026-06-01');
    const [response] = await Promise.all([
      page.waitForResponse(/\/r\/dashboard\?/),
      page.getByRole('button', { name: 'Show' }).click(),
    ]);
    expect(response.status()).toBe(400);
    const { message } = (await response.json()) as { message: string };
    await page.getByText(message).waitFor();
    await expect(page.locator('#status').getAttribute('class')).resolves.toBe('status error');
    await expect(page.locator('#kpi-responses').textContent()).resolves.toBe(String(allScores.length));
    await context.close();
  });
});

describe('who sees what on the dashboard', () => {
  it('shows a store manager only their own store', async () => {
    const { context, page } = await openDashboard({ email: manager('S2') });
    await ready(page);
    expect(await texts(page, '#leaderboard tbody tr td:nth-child(2)')).toEqual(['Boston Back Bay']);
    await expect(page.locator('#kpi-responses').textContent()).resolves.toBe(String(scores.S2?.length));
    await expect(page.locator('#kpi-nps .figure').textContent()).resolves.toBe(npsText(scores.S2 ?? []));
    await expect(page.locator('#kpi-nps .note').textContent()).resolves.toBe('fewer than 30 responses');
    expect(await texts(page, '#store option')).toEqual(['All my stores', 'Boston Back Bay']);
    // The chain-wide benchmark against their store, and their store's own rival.
    expect(await texts(page, '#benchmark-rows th')).toEqual(['Industry median', 'Rival Boston']);
    // Segments hold every store's customers: only marketing and admins get the export panel.
    await expect(page.locator('#export').isHidden()).resolves.toBe(true);
    await expect(page.locator('#viewer').textContent()).resolves.toBe(
      `Signed in as ${manager('S2')} (your stores).`,
    );
    await context.close();
  });

  it("sends a reader who is not signed in to the provider's login form, which refuses a wrong password", async () => {
    const { context, page } = await openDashboard();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url().startsWith(`${process.env.OIDC_ISSUER_URL}/interaction/`)).toBe(true);
    await page.getByLabel('E-mail address').fill(`marketing@${domain}`);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Incorrect e-mail address or password.',
    );
    expect(page.url().startsWith(api.url)).toBe(false);
    await context.close();
  });
});
