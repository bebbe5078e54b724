import pLimit from 'p-limit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAnswerRepository } from '../../functions/adapters/answer-repository';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import type { Access } from '../../functions/domain/access';
import { categoryOf, type Tally } from '../../functions/domain/nps';
import { addDays, addMonths } from '../../functions/domain/schedule';
import { compareNps } from '../../functions/domain/significance';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { winBackFiguresOf } from '../../functions/domain/win-back';
import { CaseRecord } from '../../functions/schemas/case';
import { customerCsvColumns } from '../../functions/schemas/customer';
import type { Report } from '../../functions/schemas/report';
import { storeCsvColumns } from '../../functions/schemas/store';
import { SurveyRecord } from '../../functions/schemas/survey';
import { answerSurvey } from '../../functions/use-cases/answer-survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { closeCase, recordCall } from '../../functions/use-cases/manage-cases';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { accessibilityViolations, launchChromium } from '../support/browser';
import { scanTable } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { runCli } from '../support/local-stack';
import { sentEmails } from '../support/ses-store';
import { signInOnPage } from '../support/staff';

/**
 * A year of relationship surveys with managers who call some detractors and not others: Lyon's
 * manager reaches and closes most cases, Boston's few. Time moves with `closeloop tick --now` for the
 * two survey waves and the tick use case (what that command runs) every month between; answers and
 * calls happen at simulated instants through the same use cases as the survey page and the managers'
 * API. Then `closeloop report --json` must agree with a recount of the stored surveys and cases.
 */
const customerCount = 80;
const HOUR = 3_600_000;
let stack: IsolatedStack;
let domain: string;
let stateFile: string;
let start: Date;
let report: Report;
const storeOf = (n: number) => (n % 2 === 0 ? 'S1' : 'S2');
/** What each detractor's manager does: reach and close, voicemail then close, nothing, or reach only. */
type Handling = 'reach-and-close' | 'voicemail-and-close' | 'nothing' | 'reach-only';
const handlings: Record<string, readonly Handling[]> = {
  S1: ['reach-and-close', 'reach-and-close', 'reach-and-close', 'voicemail-and-close', 'nothing'],
  S2: ['reach-and-close', 'reach-only', 'nothing', 'nothing', 'nothing'],
};
const handlingOf = (storeId: string, k: number): Handling => handlings[storeId]?.[k % 5] ?? 'nothing';

const cli = (args: readonly string[]) => runCli(args, { stateFile });
const surveys = () => createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
const answers = () =>
  createAnswerRepository(stack.db, { surveys: stack.env.SURVEYS_TABLE ?? '', aggregates: '' });

/** Each customer's newest survey link, from the invitations the SES emulator holds. */
const seenTokens = new Set<string>();
const newTokens = async () => {
  const tokens = new Map<number, string>();
  for (const email of await sentEmails((to) => to.endsWith(`@${domain}`))) {
    const token = /\/s\/([A-Za-z0-9_-]{22})\?score=/.exec(email.body.html ?? '')?.[1];
    const n = /^w(\d+)@/.exec(email.destination.to[0] ?? '')?.[1];
    if (token === undefined || n === undefined || seenTokens.has(token)) continue;
    seenTokens.add(token);
    tokens.set(Number(n), token);
  }
  return tokens;
};

/** Every answer picks `staff`; a first-wave detractor also writes about the wait (`waitComment`). */
const waitComment = 'The queue at the till was far too slow.';
const answerAt = async (token: string, score: number, at: Date, comment?: string) =>
  answerSurvey({ surveys: surveys(), answers: answers(), clock: () => at }, token, {
    score,
    reasons: ['staff'],
    ...(comment !== undefined && { comment }),
    source: 'form',
  });

const managerOf = (storeId: string): Access => ({
  kind: 'stores',
  user: `manager-${storeId.toLowerCase()}@stores.example.com`,
  sub: `sub-${storeId}`,
  storeIds: new Set([storeId]),
});

/** Ticks as `closeloop tick --now` does, then lets the consumers work off what it queued. */
const tickWithCli = async (now: Date) => {
  const run = await cli(['tick', '--now', now.toISOString(), '--json']);
  expect(run.code, run.stderr).toBe(0);
  await drainAll();
  return JSON.parse(run.stdout) as { invitations: number };
};
const tick = async (now: Date) => {
  await runTick(stack.schedule, now);
  await drainAll();
};
const drainAll = async () => {
  await stack.consumers.invitations.drain(180_000);
  await stack.consumers.answerStream.drain(120_000);
  await stack.consumers.followUps.drain(120_000);
};

let lapAt = Date.now();
const lap = (what: string) => {
  process.stderr.write(`${what}: ${Date.now() - lapAt} ms\n`);
  lapAt = Date.now();
};

beforeAll(async () => {
  stack = await startIsolatedStack('winback', { REMINDER_AFTER_DAYS: '0' }, { ownDynamoDb: true });
  lap('stack');
  domain = `${stack.namespace}.example.com`;
  stateFile = stack.writeCliState();
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon Part-Dieu', managerOf('S1').user, 'region@stores.example.com', 'Europe/Paris'],
      ['S2', 'Boston Back Bay', managerOf('S2').user, 'region@stores.example.com', 'America/New_York'],
    ]),
    { stores: stack.stores },
  );
  start = new Date();
  const rows = Array.from({ length: customerCount }, (_, n) => [
    `W${n}`,
    `w${n}@${domain}`,
    'Ada',
    'Byron',
    storeOf(n),
    'en',
  ]);
  await importCustomers(recordsOf([[...customerCsvColumns], ...rows]), {
    customers: stack.customers,
    stores: stack.stores,
  });

  // First wave: every first survey is due within 28 days of the import.
  const firstWave = addDays(start, 29);
  expect((await tickWithCli(firstWave)).invitations).toBe(customerCount);
  const firstTokens = await newTokens();
  expect(firstTokens.size).toBe(customerCount);
  lap('first wave sent');
  // Seven in ten are detractors (0-6), the rest passives and promoters.
  const limit = pLimit(8);
  await Promise.all(
    [...firstTokens].map(([n, token]) =>
      limit(() =>
        answerAt(
          token,
          n % 10 < 7 ? n % 7 : n % 10 === 9 ? 10 : 8,
          new Date(firstWave.getTime() + (1 + (n % 5)) * HOUR),
          n % 10 < 7 ? waitComment : undefined,
        ),
      ),
    ),
  );
  lap('first answers');
  await drainAll();
  lap('first answers counted, cases opened');

  // The managers: each detractor's case handled as its store's manager does.
  const cases = createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '', stack.env.AGGREGATES_TABLE);
  const handled = new Map<string, number>();
  const detractorCases: { n: number; k: number; caseRecord: CaseRecord }[] = [];
  for (const [n, token] of [...firstTokens].sort(([a], [b]) => a - b)) {
    const survey = await surveys().get(surveyKeyOf(token));
    const caseRecord = survey && (await cases.get(survey.surveyId));
    if (caseRecord === undefined) continue;
    const k = handled.get(caseRecord.storeId) ?? 0;
    handled.set(caseRecord.storeId, k + 1);
    detractorCases.push({ n, k, caseRecord });
  }
  const handlingByCustomer = new Map<number, Handling>();
  const handle = async ({ n, k, caseRecord }: { n: number; k: number; caseRecord: CaseRecord }) => {
    const storeId = caseRecord.storeId;
    const handling = handlingOf(storeId, k);
    handlingByCustomer.set(n, handling);
    if (handling === 'nothing') return;
    // Most first calls within the 24-hour promise, one in four a day and a half late.
    let at = new Date(Date.parse(caseRecord.answeredAt) + (k % 4 === 3 ? 36 : 3) * HOUR);
    const deps = { cases, stores: stack.stores, clock: () => at };
    const manager = managerOf(storeId);
    await recordCall(deps, manager, caseRecord.caseId, {
      outcome: handling === 'voicemail-and-close' ? 'voicemail' : 'reached',
      requestId: `call-${n}-aaaa`,
    });
    if (handling === 'reach-only') return;
    at = new Date(at.getTime() + HOUR);
    await closeCase(deps, manager, caseRecord.caseId, {
      ...(handling === 'voicemail-and-close'
        ? { resolution: 'other', note: 'Left a message and a voucher' }
        : { resolution: n % 3 === 0 ? 'refund' : 'apology' }),
      requestId: `close-${n}-aaaa`,
    });
  };
  await Promise.all(detractorCases.map((entry) => limit(() => handle(entry))));
  lap('managers called');

  // Month by month to the second wave (escalations, digests), which goes six months after the first.
  for (let month = 1; month < 6; month++) await tick(addMonths(firstWave, month));
  lap('monthly ticks');
  const secondWave = addDays(addMonths(firstWave, 6), 1);
  expect((await tickWithCli(secondWave)).invitations).toBe(customerCount);
  const secondTokens = await newTokens();
  expect(secondTokens.size).toBe(customerCount);
  lap('second wave sent');

  // Called detractors mostly come back, unreached ones mostly do not; one in thirteen does not answer,
  // and one in eleven first says 2, then changes the answer.
  const answerSecond = async ([n, token]: [number, string]) => {
    if (n % 13 === 5) return;
    const handling = handlingByCustomer.get(n);
    const score =
      handling === undefined || handling === 'reach-only'
        ? 9
        : handling === 'reach-and-close'
          ? n % 3 === 0
            ? 3
            : 7 + (n % 4)
          : n % 4 === 0
            ? 8
            : 2;
    const at = new Date(secondWave.getTime() + 2 * HOUR);
    if (n % 11 === 4) await answerAt(token, 2, at);
    await answerAt(token, score, new Date(at.getTime() + 60_000));
  };
  await Promise.all([...secondTokens].map((entry) => limit(() => answerSecond(entry))));
  lap('second answers');
  await drainAll();
  lap('second answers counted');
  // To the end of the twelve months.
  for (let month = 7; month <= 11; month++) await tick(addMonths(firstWave, month));
  lap('to twelve months');

  const run = await cli([
    'report',
    '--from',
    addDays(start, -1).toISOString().slice(0, 10),
    '--to',
    addMonths(start, 13).toISOString().slice(0, 10),
    '--by',
    'month',
    '--json',
  ]);
  expect(run.code, run.stderr).toBe(0);
  report = JSON.parse(run.stdout) as Report;
  lap('report');
}, 600_000);

afterAll(() => stack?.stop());

const allSurveys = async () =>
  (await scanTable(stack.db, stack.env.SURVEYS_TABLE ?? '')).map((item) => SurveyRecord.parse(item));
const allCases = async () =>
  (await scanTable(stack.db, stack.env.CASES_TABLE ?? '')).map((item) => CaseRecord.parse(item));

const emptyTally = (): { promoters: number; passives: number; detractors: number } => ({
  promoters: 0,
  passives: 0,
  detractors: 0,
});
const tallyAdd = (tally: ReturnType<typeof emptyTally>, score: number) => {
  tally[`${categoryOf(score)}s` as keyof Tally] += 1;
};

/**
 * Win-back recounted from the stored surveys and cases alone (not the baselines the surveys keep):
 * each survey after one a customer answered as a detractor, in the group of that survey's case as it
 * stood when the next one was answered, counted by its answer in the store of the case.
 */
const recountWinBack = async () => {
  const cases = new Map((await allCases()).map((caseRecord) => [caseRecord.caseId, caseRecord]));
  const byCustomer = new Map<string, SurveyRecord[]>();
  for (const survey of await allSurveys())
    byCustomer.set(survey.customerId, [...(byCustomer.get(survey.customerId) ?? []), survey]);
  const counts = new Map<
    string,
    { called: ReturnType<typeof emptyTally>; notReached: ReturnType<typeof emptyTally> }
  >();
  const of = (scope: string) => {
    const entry = counts.get(scope) ?? { called: emptyTally(), notReached: emptyTally() };
    counts.set(scope, entry);
    return entry;
  };
  for (const list of byCustomer.values()) {
    const sorted = list.sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
    for (const [index, next] of sorted.entries()) {
      const previous = sorted[index - 1];
      if (previous?.answer === undefined || categoryOf(previous.answer.score) !== 'detractor') continue;
      if (next.answer === undefined) continue;
      const caseRecord = cases.get(previous.surveyId);
      if (caseRecord === undefined) continue;
      // Where the case stood when the next answer came (it is read when that answer is first counted).
      const answeredAt = next.firstAnsweredAt ?? '';
      const reached = caseRecord.calls.some((call) => call.outcome === 'reached' && call.at <= answeredAt);
      const closed = caseRecord.closedAt !== undefined && caseRecord.closedAt <= answeredAt;
      const group = !reached ? 'notReached' : closed ? 'called' : undefined;
      if (group === undefined) continue;
      for (const scope of ['all', caseRecord.storeId]) tallyAdd(of(scope)[group], next.answer.score);
    }
  }
  return counts;
};

describe('a simulated year of closing the loop, called against unreached detractors', () => {
  it('reports each group’s win-back, per store and for the chain, exactly as the surveys and cases recount it', async () => {
    const recount = await recountWinBack();
    const chain = recount.get('all');
    expect(chain?.called.promoters).toBeGreaterThan(0);
    // The recount's figures, through the same formulas as the report (pinned by the unit tests).
    expect(report.winBack.overall).toEqual(
      winBackFiguresOf(chain ?? { called: emptyTally(), notReached: emptyTally() }),
    );
    for (const store of report.winBack.stores)
      expect(store).toEqual({
        storeId: store.storeId,
        name: store.name,
        ...winBackFiguresOf(recount.get(store.storeId) ?? { called: emptyTally(), notReached: emptyTally() }),
      });
    // 56 detractors: 25 reached and closed, 26 never reached, 5 reached and left open; answer changes
    // counted once, non-answers not at all.
    expect(report.winBack.overall.called.answered).toBeGreaterThanOrEqual(18);
    expect(report.winBack.overall.notReached.answered).toBeGreaterThanOrEqual(22);
  });

  it('flags the difference of the designed year as significant, and the chain’s as the larger group', () => {
    const { called, notReached, difference } = report.winBack.overall;
    expect(called.rate).toBeGreaterThan(0.5);
    expect(notReached.rate).toBeLessThan(0.4);
    expect(difference?.significant).toBe(true);
    expect(difference?.low).toBeGreaterThan(0);
    expect(called.low).toBeLessThan(called.rate ?? 0);
    expect(called.high).toBeGreaterThan(called.rate ?? 1);
  });

  it('reports SLA compliance and escalations as the stored cases recount them', async () => {
    const cases = await allCases();
    const recount = (list: readonly CaseRecord[]) => {
      const firstCalls = list.flatMap((caseRecord) =>
        caseRecord.calls.slice(0, 1).map((call) => ({ call, caseRecord })),
      );
      const withinSla = firstCalls.filter(({ call, caseRecord }) => call.at <= caseRecord.dueAt).length;
      return {
        opened: list.length,
        contacted: firstCalls.length,
        withinSla,
        late: firstCalls.length - withinSla,
        slaShare: list.length === 0 ? null : withinSla / list.length,
        escalated: list.filter((caseRecord) => caseRecord.escalatedAt !== undefined).length,
        overdue: list.filter(
          (caseRecord) => caseRecord.escalatedAt !== undefined && caseRecord.status === 'open',
        ).length,
        reached: list.filter((caseRecord) => caseRecord.firstReachedAt !== undefined).length,
      };
    };
    // 56 detractors at the first survey, and those of the second.
    expect(
      cases.filter((caseRecord) => caseRecord.answeredAt < addDays(start, 60).toISOString()),
    ).toHaveLength(56);
    expect(report.followUp.overall).toMatchObject(recount(cases));
    for (const store of report.followUp.stores)
      expect(store).toMatchObject(
        recount(cases.filter((caseRecord) => caseRecord.storeId === store.storeId)),
      );
    expect(report.followUp.overall.late).toBeGreaterThan(0);
    expect(report.followUp.overall.escalated).toBeGreaterThan(0);
  });

  it('flags each store’s NPS against the rest of the chain as a recount of the answers does', async () => {
    const tallies = new Map<string, ReturnType<typeof emptyTally>>();
    for (const survey of await allSurveys()) {
      if (survey.answer === undefined) continue;
      for (const scope of ['all', survey.storeId]) {
        const tally = tallies.get(scope) ?? emptyTally();
        tallyAdd(tally, survey.answer.score);
        tallies.set(scope, tally);
      }
    }
    const chain = tallies.get('all') ?? emptyTally();
    expect(report.overall).toMatchObject(chain);
    for (const store of report.stores) {
      const own = tallies.get(store.storeId) ?? emptyTally();
      const rest = {
        promoters: chain.promoters - own.promoters,
        passives: chain.passives - own.passives,
        detractors: chain.detractors - own.detractors,
      };
      expect(store).toMatchObject(own);
      expect(store.vsRest?.significant).toBe(compareNps(own, rest)?.significant);
      expect(store.vsRest?.z).toBeCloseTo(compareNps(own, rest)?.z ?? Number.NaN, 9);
    }
  });

  it('counts the reason every answer picked and the theme of the detractors’ comments, as the surveys recount them', async () => {
    const answered = (await allSurveys()).flatMap((survey) => (survey.answer ? [survey.answer] : []));
    const tallyOf = (list: readonly { score: number }[]) => {
      const tally = emptyTally();
      for (const { score } of list) tallyAdd(tally, score);
      return tally;
    };
    const commented = answered.filter((answer) => answer.comment === waitComment);
    // 56 first-wave detractors wrote about the wait; some changed nothing since.
    expect(commented).toHaveLength(56);
    const { overall } = report.drivers;
    expect(overall).toMatchObject({
      answers: answered.length,
      withReasons: answered.length,
      withComments: 56,
    });
    expect(overall.reasons[0]).toMatchObject({
      reason: 'staff',
      mentions: answered.length,
      ...tallyOf(answered),
    });
    expect(overall.themes[0]).toMatchObject({ theme: 'waiting', mentions: 56, ...tallyOf(commented) });
    expect(overall.examples.waiting?.length).toBeGreaterThan(0);
  });
});

describe('the simulated year on the dashboard, in Chromium', () => {
  let api: Awaited<ReturnType<typeof startApiServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    api = await startApiServer({ port: 0 });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${api.url}/d`);
    await signInOnPage(page, `marketing@${domain}`, { groups: ['marketing'] });
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByLabel('From', { exact: true }).fill(report.from);
    await page.getByLabel('To', { exact: true }).fill(report.to);
    await page.getByLabel('Group by').selectOption('month');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#status', { hasText: report.to }).waitFor({ timeout: 30_000 });
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
  });

  it('shows the win-back of called against unreached detractors, and the difference flagged as significant', async () => {
    const { called, notReached, difference } = report.winBack.overall;
    await expect(page.getByTestId('wb-called').innerText()).resolves.toContain(
      `${called.wonBack} of ${called.answered} came back`,
    );
    await expect(page.getByTestId('wb-not-reached').innerText()).resolves.toContain(
      `${notReached.wonBack} of ${notReached.answered} came back`,
    );
    const shown = await page.getByTestId('wb-difference').innerText();
    expect(difference?.significant).toBe(true);
    expect(shown).toMatch(/^▲ \+\d+ points\nsignificant at 95%/);
    const stores = await page.getByTestId('wb-rows').locator('th').allInnerTexts();
    expect(stores.sort()).toEqual(['Boston Back Bay', 'Lyon Part-Dieu']);
  });

  it('shows SLA compliance and escalations as the report counts them', async () => {
    const { withinSla, opened, escalated, overdue } = report.followUp.overall;
    await expect(page.getByTestId('fu-sla').innerText()).resolves.toMatch(
      new RegExp(`^${withinSla} of ${opened} \\(\\d+%\\)$`),
    );
    await expect(page.getByTestId('fu-escalated').innerText()).resolves.toBe(
      `${escalated} (${overdue} overdue)`,
    );
  });

  it('shows the drivers: the reason picked and the theme of the comments, with examples', async () => {
    const staff = page.locator('#reason-rows tr').first();
    await expect(staff.locator('th').innerText()).resolves.toBe('Staff');
    await expect(staff.locator('td').first().innerText()).resolves.toBe(
      String(report.drivers.overall.answers),
    );
    await expect(page.locator('#theme-rows th').first().innerText()).resolves.toBe('Waiting and speed');
    await expect(page.locator('#theme-examples q').first().innerText()).resolves.toBe(waitComment);
  });

  it('marks only significant moves in the trend and the leaderboard', async () => {
    const cells = await page.locator('#trend-rows td, #leaderboard-rows td').allTextContents();
    const marks = cells.filter((text) => /[▲▼]/.test(text));
    const significantMoves =
      report.periods.filter((period) => period.change?.significant).length +
      report.stores.filter((store) => store.vsRest?.significant).length;
    expect(marks).toHaveLength(significantMoves);
  });

  it('passes axe-core (WCAG 2 A and AA) with the year’s figures', async () => {
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
