/**
 * The scanner harness: simulated link scanners of every kind and simulated people answer invitations
 * on a running local stack, then we count what was counted. Used by the test suite and the benchmark.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { Browser, BrowserContext } from 'playwright-core';
import { recordsOf } from '../../cli/csv-files';
import type { CustomerRepository } from '../../functions/adapters/customer-repository';
import type { StoreRepository } from '../../functions/adapters/store-repository';
import { EARLY_HOLD_FACTOR } from '../../functions/domain/answer-trust';
import { addDays } from '../../functions/domain/schedule';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { SurveyRecord } from '../../functions/schemas/survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import type { scheduleDeps } from '../../functions/wiring/tick';
import { launchChromium } from './browser';
import { scanTable, storedEmails } from './invariants';

/** What scans a mail's links: a plain HTTP client, or a headless browser that may run the pages' script. */
export const scannerKinds = [
  /** GET and HEAD of every link at once, no script (most mail filters). */
  'http-burst',
  /** A browser that says it is automated, every link at once, script on. */
  'browser-parallel',
  /** A browser that hides that it is automated, every link at once, script on. */
  'stealth-parallel',
  /** A browser that hides that it is automated, one link after another, script on. */
  'stealth-sequential',
  /** A browser with script off, every link. */
  'browser-no-script',
  /** A browser that hides that it is automated, the hidden link and then one score only, script on. */
  'honeypot-follower',
] as const;
export type ScannerKind = (typeof scannerKinds)[number];

/** How people answer. */
export const personKinds = [
  /** Clicks a score in the e-mail and closes the tab within two seconds. */
  'click-and-close',
  /** Clicks a score, waits, writes why, presses Send. */
  'comment',
  /** Clicks a score, picks another one on the page, presses Send. */
  'change-mind',
  /** Clicks a score with script off, presses Send. */
  'no-script-send',
] as const;
export type PersonKind = (typeof personKinds)[number];

export interface HarnessWorld {
  readonly apiUrl: string;
  readonly sesEndpoint: string;
  readonly db: DynamoDBDocumentClient;
  readonly surveysTable: string;
  readonly casesTable: string;
  readonly stores: StoreRepository;
  readonly customers: CustomerRepository;
  readonly schedule: ReturnType<typeof scheduleDeps>;
  /** Sends the invitations the tick queued (the local runtime's invitations consumer). */
  readonly sendInvitations: () => Promise<void>;
  /** How long automatic answers are held (`ANSWER_HOLD_SECONDS`). */
  readonly holdSeconds: number;
}

export interface HarnessFigures {
  readonly holdSeconds: number;
  readonly scanners: { readonly invitations: number; readonly counted: number; readonly casesOpened: number };
  readonly scannersByKind: Readonly<Record<ScannerKind, { invitations: number; counted: number }>>;
  readonly people: { readonly invitations: number; readonly counted: number; readonly share: number };
  readonly peopleByKind: Readonly<Record<PersonKind, { invitations: number; counted: number }>>;
  /** Answers recorded and discarded, by reason. */
  readonly discarded: Readonly<Record<string, number>>;
  /** The answers of each scanner counted and each person not counted as meant, to see why. */
  readonly misses: readonly string[];
  readonly seconds: number;
}

interface Invitation {
  readonly customerId: string;
  readonly scores: readonly string[];
  readonly hidden: string;
  readonly unsubscribe: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store, and customers named by how they treat their invitation; sends the invitations. */
const invite = async (world: HarnessWorld, label: string, roles: readonly string[]) => {
  const domain = `${label}.example.com`;
  await importStores(
    recordsOf([[...storeCsvColumns], ['SH', 'Harness Store', `manager@${domain}`, '', 'Europe/Paris']]),
    { stores: world.stores },
  );
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...roles.map((id) => [id, `${id.toLowerCase()}@${domain}`, 'Sam', 'Doe', 'SH', 'en']),
    ]),
    { customers: world.customers, stores: world.stores },
  );
  await runTick(world.schedule, addDays(new Date(), 30));
  await world.sendInvitations();
  const invitations = new Map<string, Invitation>();
  for (const email of await storedEmails(world.sesEndpoint)) {
    const to = email.destination.to[0] ?? '';
    if (!to.endsWith(`@${domain}`)) continue;
    const links = [...(email.body.html ?? '').matchAll(/href="([^"]+)"/g)].map((match) =>
      (match[1] ?? '').replaceAll('&amp;', '&'),
    );
    invitations.set(to.split('@')[0]?.toUpperCase() ?? '', {
      customerId: to.split('@')[0]?.toUpperCase() ?? '',
      scores: links.filter((link) => /\?score=\d+$/.test(link)),
      hidden: links.find((link) => link.endsWith('/about')) ?? '',
      unsubscribe: links.find((link) => link.includes('/u/')) ?? '',
    });
  }
  return invitations;
};

/** Opens a link in a fresh page, lets it run for `ms`, closes it as a tab is closed. */
const openFor = async (context: BrowserContext, link: string, ms: number) => {
  const page = await context.newPage();
  try {
    await page.goto(link, { waitUntil: 'load' });
    await pause(ms);
  } finally {
    await page.close({ runBeforeUnload: true });
  }
};

const scan = async (kind: ScannerKind, invitation: Invitation, browsers: Browsers) => {
  const everyLink = [...invitation.scores, invitation.unsubscribe];
  if (kind === 'http-burst') {
    await Promise.all(
      [...everyLink, invitation.hidden].flatMap((link) => [
        fetch(link, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks)' } }).then((r) =>
          r.text(),
        ),
        fetch(link, { method: 'HEAD' }),
      ]),
    );
    return;
  }
  const browser =
    kind === 'browser-parallel' || kind === 'browser-no-script' ? browsers.automated : browsers.person;
  const context = await browser.newContext({ javaScriptEnabled: kind !== 'browser-no-script' });
  try {
    if (kind === 'stealth-sequential') {
      for (const link of everyLink) await openFor(context, link, 2_000);
    } else if (kind === 'honeypot-follower') {
      await openFor(context, invitation.hidden, 200);
      await openFor(context, invitation.scores[1] ?? '', 3_000);
    } else {
      await Promise.all(everyLink.map((link) => openFor(context, link, 3_000)));
    }
  } finally {
    await context.close();
  }
};

/** What a person does with their invitation; returns the score they mean to give. */
const answerAsPerson = async (
  kind: PersonKind,
  invitation: Invitation,
  score: number,
  browsers: Browsers,
) => {
  const context = await browsers.person.newContext({ javaScriptEnabled: kind !== 'no-script-send' });
  try {
    const page = await context.newPage();
    await page.goto(invitation.scores[score] ?? '', { waitUntil: 'load' });
    if (kind === 'click-and-close') {
      await pause(300 + Math.floor(Math.random() * 1_500));
      // The tab closes; the browser itself goes on (and delivers what the page sent as it closed).
      await page.close({ runBeforeUnload: true });
      await pause(1_000);
      return score;
    }
    if (kind === 'comment') {
      await pause(2_500);
      await page.getByLabel('Why did you give this score? (optional)').fill('Quick and friendly.');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
      return score;
    }
    const final = kind === 'change-mind' ? (score + 5) % 11 : score;
    if (kind === 'change-mind') await page.getByRole('radio', { name: String(final), exact: true }).check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    return final;
  } finally {
    await context.close();
  }
};

interface Browsers {
  readonly person: Browser;
  readonly automated: Browser;
}

/**
 * Runs `scannersPerKind` invitations of every scanner kind and `peoplePerKind` of every kind of
 * person, all at once (at most `concurrency` at a time), waits until every answer is decided, and
 * counts: the scanners' answers counted and cases opened (target 0), the people's answers counted
 * with the score they meant (target ≥ 99%).
 */
export const runScannerHarness = async (
  world: HarnessWorld,
  {
    scannersPerKind,
    peoplePerKind,
    concurrency = 6,
    label = `harness${Date.now()}`,
  }: {
    scannersPerKind: number;
    peoplePerKind: number;
    concurrency?: number;
    label?: string;
  },
): Promise<HarnessFigures> => {
  const started = performance.now();
  const scanners = scannerKinds.flatMap((kind, k) =>
    Array.from({ length: scannersPerKind }, (_, n) => ({ role: `SCAN${k}X${n}`, kind })),
  );
  const people = personKinds.flatMap((kind, k) =>
    Array.from({ length: peoplePerKind }, (_, n) => ({
      role: `PERSON${k}X${n}`,
      kind,
      score: (n * 7 + k) % 11,
    })),
  );
  const invitations = await invite(
    world,
    label,
    [...scanners, ...people].map(({ role }) => role),
  );
  const browsers: Browsers = {
    person: await launchChromium(),
    automated: await launchChromium({ automated: true }),
  };
  const meant = new Map<string, number>();
  try {
    const limit = pLimit(concurrency);
    const work = [
      ...scanners.map(
        ({ role, kind }) =>
          () =>
            scan(kind, invitations.get(role) as Invitation, browsers),
      ),
      ...people.map(({ role, kind, score }) => async () => {
        meant.set(role, await answerAsPerson(kind, invitations.get(role) as Invitation, score, browsers));
      }),
    ];
    // Interleaved, as scanners and people come in real life.
    const shuffled = work.map((task, index) => ({ task, key: (index * 7919) % work.length }));
    shuffled.sort((a, b) => a.key - b.key);
    await Promise.all(shuffled.map(({ task }) => limit(task)));
  } finally {
    await browsers.person.close();
    await browsers.automated.close();
  }

  // Every answer decided: held ones after the hold, through the answers queue.
  const deadline = Date.now() + (world.holdSeconds * EARLY_HOLD_FACTOR + 60) * 1000;
  let surveys: SurveyRecord[] = [];
  for (;;) {
    surveys = (await scanTable(world.db, world.surveysTable))
      .map((item) => SurveyRecord.parse(item))
      .filter((survey) => invitations.has(survey.customerId));
    const pending = surveys.filter((survey) =>
      survey.answers?.some((answer) => answer.verdict === undefined),
    );
    if (pending.length === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending.length} surveys still have undecided answers`);
    await pause(500);
  }
  // Cases follow counted detractors through the follow-up queue: give them time to open.
  await pause(2_000);
  const cases = (await scanTable(world.db, world.casesTable)).map((item) => item.surveyId as string);
  const surveyOf = new Map(surveys.map((survey) => [survey.customerId, survey]));

  const scannersByKind = Object.fromEntries(
    scannerKinds.map((kind) => {
      const mine = scanners.filter((scanner) => scanner.kind === kind);
      const counted = mine.filter(({ role }) => surveyOf.get(role)?.counted !== undefined).length;
      return [kind, { invitations: mine.length, counted }];
    }),
  ) as Record<ScannerKind, { invitations: number; counted: number }>;
  const personCounted = (role: string) => {
    const counted = surveyOf.get(role)?.counted;
    return counted !== undefined && counted.score === meant.get(role);
  };
  const peopleByKind = Object.fromEntries(
    personKinds.map((kind) => {
      const mine = people.filter((person) => person.kind === kind);
      return [
        kind,
        { invitations: mine.length, counted: mine.filter(({ role }) => personCounted(role)).length },
      ];
    }),
  ) as Record<PersonKind, { invitations: number; counted: number }>;
  const discarded: Record<string, number> = {};
  for (const survey of surveys) {
    for (const answer of survey.answers ?? []) {
      if (answer.verdict?.kind === 'discarded')
        discarded[answer.verdict.reason] = (discarded[answer.verdict.reason] ?? 0) + 1;
    }
  }
  const peopleCounted = people.filter(({ role }) => personCounted(role)).length;
  const describeSurvey = (role: string, kind: string) => {
    const survey = surveyOf.get(role);
    const answers = (survey?.answers ?? []).map(
      (answer) =>
        `${answer.at.slice(11, 23)} ${answer.score} ${answer.source} ${JSON.stringify(answer.signals ?? {})} → ${answer.verdict?.kind}${answer.verdict && 'reason' in answer.verdict ? ` ${answer.verdict.reason}` : ''}`,
    );
    return `${role} (${kind}) sent ${survey?.sentAt?.slice(11, 23)}, hidden link ${survey?.honeypotAt?.slice(11, 23) ?? 'never'}: ${answers.join('; ') || 'no answer'}`;
  };
  const misses = [
    ...scanners
      .filter(({ role }) => surveyOf.get(role)?.counted !== undefined)
      .map(({ role, kind }) => describeSurvey(role, kind)),
    ...people
      .filter(({ role }) => !personCounted(role))
      .map(({ role, kind }) => `${describeSurvey(role, kind)} (meant ${meant.get(role)})`),
  ];
  return {
    holdSeconds: world.holdSeconds,
    scanners: {
      invitations: scanners.length,
      counted: scanners.filter(({ role }) => surveyOf.get(role)?.counted !== undefined).length,
      casesOpened: scanners.filter(({ role }) => cases.includes(surveyOf.get(role)?.surveyId ?? '')).length,
    },
    scannersByKind,
    people: { invitations: people.length, counted: peopleCounted, share: peopleCounted / people.length },
    peopleByKind,
    discarded,
    misses,
    seconds: (performance.now() - started) / 1000,
  };
};

/** The figures as lines for a test's or the benchmark's output. */
export const describeFigures = (figures: HarnessFigures) => [
  `scanner harness (hold ${figures.holdSeconds} s, ${figures.seconds.toFixed(0)} s in all):`,
  `  scanners: ${figures.scanners.counted} of ${figures.scanners.invitations} invitations counted, ${figures.scanners.casesOpened} cases opened`,
  ...Object.entries(figures.scannersByKind).map(
    ([kind, { invitations, counted }]) => `    ${kind.padEnd(20)} ${counted}/${invitations} counted`,
  ),
  `  people: ${figures.people.counted} of ${figures.people.invitations} counted with the score they meant (${(100 * figures.people.share).toFixed(1)}%)`,
  ...Object.entries(figures.peopleByKind).map(
    ([kind, { invitations, counted }]) => `    ${kind.padEnd(20)} ${counted}/${invitations} counted`,
  ),
  `  answers discarded: ${
    Object.entries(figures.discarded)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', ') || 'none'
  }`,
  ...figures.misses.map((miss) => `  miss: ${miss}`),
];
