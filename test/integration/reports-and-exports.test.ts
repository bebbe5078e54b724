import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { categoryOf, npsOf } from '../../functions/domain/nps';
import { type Granularity, periodOfDay } from '../../functions/domain/report';
import { addDays } from '../../functions/domain/schedule';
import { compareNps, sampleNeeded } from '../../functions/domain/significance';
import type { DashboardData, NpsFigures, Report } from '../../functions/schemas/report';
import { SurveyRecord } from '../../functions/schemas/survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { scanTable } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { runCli } from '../support/local-stack';
import { sentEmails } from '../support/ses-store';
import { signInAs } from '../support/staff';
import { syncStaffAccounts } from '../support/staff-bindings';

const customerCount = 90;
let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let stateFile: string;
const finalScore = new Map<string, number>();
const tokenOf = new Map<string, string>();
const range = {
  from: addDays(new Date(), -10).toISOString().slice(0, 10),
  to: addDays(new Date(), 45).toISOString().slice(0, 10),
};

const manager = (store: string) => `manager-${store.toLowerCase()}@stores.example.com`;
const hostileComments: Record<number, string> = {
  0: '=HYPERLINK("http://evil.example","Click me")',
  1: 'They said "no", twice,\nthen hung up.\r\nNever again.',
  6: '<img src=x onerror=alert(1)> très déçu 😡',
  4: '+cmd|" /C calc"!A0',
};

const token = async (email: string, groups: string[] = []) => (await signInAs(email, { groups })).idToken;

const call = async (path: string, auth?: { email: string; groups?: string[] }, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(auth && { authorization: `Bearer ${await token(auth.email, auth.groups)}` }),
    },
  });
const marketing = { email: 'marketing@brand.example.com', groups: ['marketing'] };

const answer = (surveyToken: string, score: number, comment?: string) =>
  fetch(`${api.url}/s/${surveyToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ score, ...(comment && { comment }) }),
  });

const storeOf = (n: number) => (n % 3 === 0 ? 'S1' : n % 3 === 1 ? 'S2' : 'S3');

const allSurveys = async () =>
  (await scanTable(stack.db, stack.env.SURVEYS_TABLE ?? '')).map((item) => SurveyRecord.parse(item));

/** NPS figures recounted from the stored surveys themselves, not from the aggregates. */
const recount = (surveys: readonly SurveyRecord[], include: (day: string) => boolean) => {
  const answered = surveys.filter(
    (survey) => survey.answer && include((survey.firstAnsweredAt ?? '').slice(0, 10)),
  );
  const scores = answered.map((survey) => survey.answer?.score ?? -1);
  const tally = {
    promoters: scores.filter((score) => categoryOf(score) === 'promoter').length,
    passives: scores.filter((score) => categoryOf(score) === 'passive').length,
    detractors: scores.filter((score) => categoryOf(score) === 'detractor').length,
  };
  return {
    ...tally,
    nps: npsOf(tally),
    invited: surveys.filter((survey) => survey.sentAt && include(survey.sentAt.slice(0, 10))).length,
    histogram: Array.from({ length: 11 }, (_, score) => scores.filter((s) => s === score).length),
  };
};

const expectFiguresToEqual = (figures: NpsFigures, expected: ReturnType<typeof recount>) => {
  expect(figures.responses).toBe(expected.nps.responses);
  expect(figures).toMatchObject({
    promoters: expected.promoters,
    passives: expected.passives,
    detractors: expected.detractors,
    invited: expected.invited,
    histogram: expected.histogram,
    lowConfidence: expected.nps.lowConfidence,
  });
  if (expected.nps.nps === undefined) {
    expect(figures.nps).toBeNull();
    expect(figures.marginOfError).toBeNull();
  } else {
    expect(figures.nps).toBeCloseTo(expected.nps.nps, 9);
    expect(figures.marginOfError).toBeCloseTo(expected.nps.marginOfError ?? Number.NaN, 9);
  }
  expect(figures.responseRate).toBe(
    expected.invited === 0 ? null : expected.nps.responses / expected.invited,
  );
};

beforeAll(async () => {
  stack = await startIsolatedStack('reports');
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  const domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      ['storeId', 'name', 'managerEmail', 'regionalManagerEmail', 'timezone'],
      ['S1', 'Lyon Centre', manager('S1'), 'region@stores.example.com', 'Europe/Paris'],
      ['S2', 'Boston Back Bay', manager('S2'), 'region@stores.example.com', 'America/New_York'],
      ['S3', 'Madrid Sol', manager('S3'), 'region@stores.example.com', 'Europe/Madrid'],
    ]),
    { stores: stack.stores },
  );
  await syncStaffAccounts(stack.stores);
  const rows = Array.from({ length: customerCount }, (_, n) => [
    `R${n}`,
    `r${n}@${domain}`,
    n === 12 ? '=1+1' : 'Zoë',
    "O'Hara",
    storeOf(n),
    n % 4 === 0 ? 'fr' : 'en',
    n % 5 === 0 || n % 5 === 3 ? 'gold' : 'silver',
  ]);
  await importCustomers(
    recordsOf([['customerId', 'email', 'firstName', 'lastName', 'storeId', 'locale', 'tier'], ...rows]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain(180_000);
  for (const email of await sentEmails((to) => to.endsWith(`@${domain}`))) {
    const surveyToken = /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email.body.html ?? '')?.[1];
    const customerId = /^r(\d+)@/.exec(email.destination.to[0] ?? '')?.[1];
    if (surveyToken && customerId) tokenOf.set(`R${customerId}`, surveyToken);
  }
  expect(tokenOf.size).toBe(customerCount);

  // Everyone but S3's customers and every tenth customer answers; some twice, some change their mind.
  for (let n = 0; n < customerCount; n++) {
    if (storeOf(n) === 'S3' || n % 10 === 9) continue;
    const surveyToken = tokenOf.get(`R${n}`) ?? '';
    const score = n % 11;
    expect((await answer(surveyToken, score, hostileComments[n])).status).toBeLessThan(300);
    if (n % 5 === 0) await answer(surveyToken, score, hostileComments[n]);
    if (n % 8 === 3) {
      expect((await answer(surveyToken, 10 - score, 'Changed my mind')).status).toBeLessThan(300);
      finalScore.set(`R${n}`, 10 - score);
    } else finalScore.set(`R${n}`, score);
  }
  // A promoter who then unsubscribes stays in the segment, flagged so that nobody e-mails them.
  expect((await fetch(`${api.url}/u/${tokenOf.get('R10') ?? ''}`, { method: 'POST' })).status).toBeLessThan(
    300,
  );
  expect((await fetch(`${api.url}/u/${tokenOf.get('R20') ?? ''}`, { method: 'POST' })).status).toBeLessThan(
    300,
  );
  await stack.consumers.answerStream.drain(120_000);
  await stack.consumers.followUps.drain(120_000);

  // The CLI against this test's own tables.
  stateFile = stack.writeCliState();
}, 400_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

const cli = (args: readonly string[]) => runCli(args, { stateFile });

describe('reports', () => {
  it.each(['week', 'month'] as const)(
    'equal a recount of the stored answers, by %s, overall, per period and per store, margin of error included',
    async (by: Granularity) => {
      const response = await call(`/r/report?from=${range.from}&to=${range.to}&by=${by}`, marketing);
      expect(response.status).toBe(200);
      const report = (await response.json()) as Report;
      const surveys = await allSurveys();
      const inRange = (day: string) => day >= range.from && day <= range.to;
      expectFiguresToEqual(report.overall, recount(surveys, inRange));
      expect(report.overall.responses).toBe(finalScore.size);
      expect(report.overall.invited).toBe(customerCount);
      const inPeriod = (period: string) => (day: string) =>
        inRange(day) && periodOfDay(day, by).period === period;
      for (const [index, period] of report.periods.entries()) {
        expectFiguresToEqual(period, recount(surveys, inPeriod(period.period)));
        // The change against the previous period, from the recounts of both.
        const previous = report.periods[index - 1];
        expect(period.change).toEqual(
          previous === undefined
            ? null
            : (compareNps(
                recount(surveys, inPeriod(period.period)),
                recount(surveys, inPeriod(previous.period)),
              ) ?? null),
        );
      }
      expect(report.stores.map((store) => store.storeId).sort()).toEqual(['S1', 'S2', 'S3']);
      for (const store of report.stores) {
        const own = recount(
          surveys.filter((survey) => survey.storeId === store.storeId),
          inRange,
        );
        expectFiguresToEqual(store, own);
        // Against the other stores' answers, and what ±10 points still takes at its response rate.
        const rest = recount(
          surveys.filter((survey) => survey.storeId !== store.storeId),
          inRange,
        );
        expect(store.vsRest).toEqual(compareNps(own, rest) ?? null);
        expect(store.sampleNeeded).toEqual(
          sampleNeeded(own, own.invited === 0 ? null : own.nps.responses / own.invited),
        );
        expect(store.trend.map((period) => period.period)).toEqual(report.periods.map((p) => p.period));
      }
      // Best NPS first; the store without responses last, with no NPS and its low sample flagged.
      expect(report.stores.at(-1)).toMatchObject({
        storeId: 'S3',
        nps: null,
        lowConfidence: true,
        responseRate: 0,
      });
    },
  );

  it('confines a manager to their own store and refuses others', async () => {
    const own = (await (
      await call(`/r/report?from=${range.from}&to=${range.to}`, { email: manager('S1') })
    ).json()) as Report;
    expect(own.stores.map((store) => store.storeId)).toEqual(['S1']);
    expect(own.overall.responses).toBe(own.stores[0]?.responses);
    expect((await call('/r/report?store=S2', { email: manager('S1') })).status).toBe(403);
    const regional = (await (
      await call(`/r/report?from=${range.from}&to=${range.to}`, { email: 'region@stores.example.com' })
    ).json()) as Report;
    expect(regional.stores).toHaveLength(3);
    expect((await call('/r/report')).status).toBe(401);
    expect((await call('/r/dashboard', { email: 'stranger@example.com' })).status).toBe(200);
  });

  it('answers a bad query with a 400 that says what is wrong', async () => {
    const bad = await call('/r/report?from=2026-13-45&by=year', marketing);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { message: string; issues: string[] };
    expect(body.issues.join(' ')).toMatch(/by/);
    const reversed = await call('/r/report?from=2026-05-01&to=2026-01-01', marketing);
    expect(reversed.status).toBe(400);
    expect(((await reversed.json()) as { message: string }).message).toMatch(/after/);
  });

  it('prints the same figures from `closeloop report`', async () => {
    const run = await cli(['report', '--from', range.from, '--to', range.to, '--by', 'week', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const fromCli = JSON.parse(run.stdout) as Report;
    const fromApi = (await (
      await call(`/r/report?from=${range.from}&to=${range.to}&by=week`, marketing)
    ).json()) as Report;
    expect(fromCli).toEqual(fromApi);
    const text = await cli(['report', '--from', range.from, '--to', range.to]);
    expect(text.stdout).toMatch(/overall/);
    expect(text.stdout).toMatch(/fewer than 30 responses/);
    expect((await cli(['report', '--from', 'yesterday'])).code).toBe(2);
  });
});

describe('dashboard data', () => {
  it('brings the follow-ups and the latest comments, as written', async () => {
    const response = await call(`/r/dashboard?from=${range.from}&to=${range.to}`, marketing);
    expect(response.status).toBe(200);
    const data = (await response.json()) as DashboardData;
    const detractors = [...finalScore.values()].filter((score) => score <= 6).length;
    expect(data.followUps.open + data.followUps.contacted).toBeGreaterThan(0);
    expect(data.followUps.open).toBeLessThanOrEqual(detractors + 5);
    expect(data.latestComments.map((comment) => comment.comment)).toEqual(
      expect.arrayContaining([hostileComments[6], 'Changed my mind']),
    );
    expect(data.viewer).toEqual({ user: marketing.email, sees: 'all-stores' });
    // Open and overdue cases are today's backlog, whatever range is shown: none falls due after +3 days.
    const from = addDays(new Date(), 3).toISOString().slice(0, 10);
    const later = (await (
      await call(`/r/dashboard?from=${from}&to=${range.to}`, marketing)
    ).json()) as DashboardData;
    expect(data.followUps.open).toBeGreaterThan(0);
    expect(later.followUps).toMatchObject({ open: data.followUps.open, overdue: data.followUps.overdue });
    const mine = (await (await call('/r/dashboard', { email: manager('S2') })).json()) as DashboardData;
    expect(mine.latestComments.every((comment) => comment.storeId === 'S2')).toBe(true);
  });
});

const latestInSegment = (predicate: (score: number) => boolean) =>
  [...finalScore]
    .filter(([, score]) => predicate(score))
    .map(([customerId]) => customerId)
    .sort();

describe('segment exports', () => {
  it('exports each detractor once, with the latest answer, as CSV that parses back, formulas neutralised', async () => {
    const file = join(tmpdir(), `${stack.namespace}-detractors.csv`);
    const run = await cli(['export', '--segment', 'detractors', '--format', 'csv', '--out', file, '--bom']);
    expect(run.code, run.stderr).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes, { columns: true, bom: true }) as Record<string, string>[];
    expect(records.map((record) => record.customerId).sort()).toEqual(latestInSegment((score) => score <= 6));
    const byId = new Map(records.map((record) => [record.customerId, record]));
    expect(byId.get('R0')?.comment).toBe(`'${hostileComments[0]}`);
    expect(byId.get('R1')?.comment).toBe(hostileComments[1]);
    expect(byId.get('R6')?.comment).toBe(hostileComments[6]);
    expect(byId.get('R4')?.comment).toBe(`'${hostileComments[4]}`);
    expect(byId.get('R12')?.firstName).toBe("'=1+1");
    for (const record of records)
      expect(Object.values(record).some((cell) => /^[=+\-@]/.test(cell))).toBe(false);
    expect(run.stderr).toContain(`${records.length} rows written`);
  });

  it('flags customers who may not be e-mailed, and filters by store, locale and attribute', async () => {
    const run = await cli(['export', '--segment', 'promoters', '--format', 'jsonl']);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => row.customerId).sort()).toEqual(latestInSegment((score) => score >= 9));
    expect(rows.find((row) => row.customerId === 'R10')).toMatchObject({
      contactStatus: 'unsubscribed',
      mayEmail: false,
    });
    expect(rows.filter((row) => row.mayEmail === false).map((row) => row.customerId)).toEqual(['R10']);
    const filtered = await cli([
      'export',
      '--segment',
      'detractors',
      '--store',
      'S1',
      '--locale',
      'fr',
      '--attribute',
      'tier=gold',
      '--format',
      'jsonl',
    ]);
    const expected = latestInSegment((score) => score <= 6).filter((id) => {
      const n = Number(id.slice(1));
      // Each filter leaves someone out: French S2 customers, and French S1 customers who are silver.
      return storeOf(n) === 'S1' && n % 4 === 0 && (n % 5 === 0 || n % 5 === 3);
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(
      filtered.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { customerId: string }).customerId)
        .sort(),
    ).toEqual(expected);
    const bad = await cli(['export', '--segment', 'fans']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/fans/);
    const nowhere = await cli(['export', '--segment', 'promoters', '--out', '/no/such/dir/promoters.csv']);
    expect([nowhere.code, nowhere.stderr]).toEqual([
      2,
      expect.stringMatching(/cannot write \/no\/such\/dir/),
    ]);
    const leapless = await cli(['export', '--segment', 'promoters', '--from', '2026-02-30']);
    expect([leapless.code, leapless.stderr]).toEqual([2, expect.stringMatching(/--from must be a date/)]);
  });

  it('exports every response of the segment on request, from the surveys themselves', async () => {
    const run = await cli(['export', '--segment', 'passives', '--every-response', '--format', 'jsonl']);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { customerId: string; score: number });
    const answeredPassives = (await allSurveys()).filter(
      (survey) => survey.answer !== undefined && categoryOf(survey.answer.score) === 'passive',
    );
    expect(rows.map((row) => row.customerId).sort()).toEqual(
      answeredPassives.map((survey) => survey.customerId).sort(),
    );
    expect(rows.every((row) => row.score === 7 || row.score === 8)).toBe(true);
  });

  it('runs an export job through the API to a pre-signed link, for marketing only', async () => {
    expect(
      (
        await call(
          '/r/exports',
          { email: manager('S1') },
          { method: 'POST', body: '{"segment":"promoters"}' },
        )
      ).status,
    ).toBe(403);
    const invalid = await call('/r/exports', marketing, {
      method: 'POST',
      body: '{"segment":"fans","format":"xls"}',
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { issues: string[] }).issues.join(' ')).toMatch(/segment/);
    expect((await call('/r/exports', marketing, { method: 'POST', body: 'segment=promoters' })).status).toBe(
      400,
    );

    const started = await call('/r/exports', marketing, {
      method: 'POST',
      body: JSON.stringify({ segment: 'detractors', format: 'csv', stores: ['S1', 'S2'] }),
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { jobId: string; status: string; statusUrl: string };
    expect(job.status).toBe('queued');
    await stack.consumers.exports.drain(120_000);
    const status = (await (await call(job.statusUrl, marketing)).json()) as {
      status: string;
      rows: number;
      downloadUrl: string;
    };
    expect(status.status).toBe('ready');
    expect(
      (await call(job.statusUrl, { email: 'other@brand.example.com', groups: ['marketing'] })).status,
    ).toBe(403);
    expect((await call('/r/exports/nonexistent-job', marketing)).status).toBe(404);

    const download = await fetch(status.downloadUrl);
    expect(download.status).toBe(200);
    const records = parse(await download.text(), { columns: true }) as Record<string, string>[];
    expect(status.rows).toBe(records.length);
    expect(records.map((record) => record.customerId).sort()).toEqual(latestInSegment((score) => score <= 6));
    expect(records.find((record) => record.customerId === 'R0')?.comment).toBe(`'${hostileComments[0]}`);
  });
});
