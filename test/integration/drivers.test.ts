import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAggregateRepository } from '../../functions/adapters/aggregate-repository';
import { aggregateKeysOf, periodsOf } from '../../functions/domain/aggregates';
import { EXAMPLES_KEPT, type ThemeExample } from '../../functions/domain/drivers';
import { languageOf } from '../../functions/domain/languages';
import { categoryOf } from '../../functions/domain/nps';
import { addDays } from '../../functions/domain/schedule';
import { themeCodes, themesOf } from '../../functions/domain/themes';
import { type Reason, reasonCodes } from '../../functions/schemas/answer';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { SurveyRecord } from '../../functions/schemas/survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { buildReport } from '../../functions/use-cases/report';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { seededRandom } from '../support/aws-faults';
import { driverAttributesOf, scanTable } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { sentEmails } from '../support/ses-store';

const surveyCount = 60;
const locales = ['en', 'fr', 'es'] as const;
const comments: Record<(typeof locales)[number], readonly string[]> = {
  en: [
    'The staff were rude and I waited ages at the till',
    'Great prices',
    'Parcel arrived damaged',
    'Fine',
    '',
  ],
  fr: [
    'Vendeur très aimable et de bon conseil',
    'Trop cher',
    'Livraison en retard, colis abîmé',
    'Rien à dire',
    '',
  ],
  es: ['El cajero fue muy amable', 'Precios caros', 'La tienda estaba sucia', 'Todo bien', ''],
};

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let tokens: { token: string; locale: (typeof locales)[number] }[];

const post = (token: string, score: number, reasons: readonly Reason[], comment: string) => {
  const body = new URLSearchParams({ score: String(score), ...(comment && { comment }) });
  for (const reason of reasons) body.append('reasons', reason);
  return fetch(`${api.url}/s/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
};

const allSurveys = async () =>
  (await scanTable(stack.db, stack.env.SURVEYS_TABLE ?? '')).map((item) => SurveyRecord.parse(item));

beforeAll(async () => {
  stack = await startIsolatedStack('drivers');
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  const domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon', 'm1@stores.example.com', '', 'Europe/Paris'],
      ['S2', 'Madrid', 'm2@stores.example.com', '', 'Europe/Madrid'],
    ]),
    { stores: stack.stores },
  );
  const rows = Array.from({ length: surveyCount }, (_, n) => [
    `D${n}`,
    `d${n}@${domain}`,
    'Sam',
    'Doe',
    n % 2 ? 'S1' : 'S2',
    locales[n % 3] ?? 'en',
  ]);
  await importCustomers(recordsOf([[...customerCsvColumns], ...rows]), {
    customers: stack.customers,
    stores: stack.stores,
  });
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain(120_000);
  const emails = await sentEmails((to) => to.endsWith(`@${domain}`));
  tokens = emails.map((email) => {
    const index = Number(/^d(\d+)@/.exec(email.destination.to[0] ?? '')?.[1]);
    return {
      token: /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email.body.html ?? '')?.[1] ?? '',
      locale: locales[index % 3] ?? 'en',
    };
  });
  expect(tokens).toHaveLength(surveyCount);

  // Every survey answered with random reasons and a comment in its language; one in four changes
  // its score, reasons and comment, one in six is sent twice (a double click).
  const random = seededRandom(13);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const reasonsOf = () => reasonCodes.filter(() => random() < 0.3);
  const limit = pLimit(8);
  const first = await Promise.all(
    tokens.map(({ token, locale }, index) => {
      const answer = [Math.floor(random() * 11), reasonsOf(), pick(comments[locale])] as const;
      return limit(async () => {
        const responses = [await post(token, ...answer)];
        if (index % 6 === 0) responses.push(await post(token, ...answer));
        return responses;
      });
    }),
  );
  expect(first.flat().every((response) => response.ok)).toBe(true);
  await stack.consumers.answerStream.drain(120_000);
  const changes = await Promise.all(
    tokens
      .filter((_, index) => index % 4 === 1)
      .map(({ token, locale }) =>
        limit(() => post(token, Math.floor(random() * 11), reasonsOf(), pick(comments[locale]))),
      ),
  );
  expect(changes.every((response) => response.ok)).toBe(true);
  await stack.consumers.answerStream.drain(120_000);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('drivers over the emulators', () => {
  it('keeps every aggregate’s reason and theme counts equal to a recount of the stored answers', async () => {
    const surveys = await allSurveys();
    expect(surveys.filter((survey) => survey.answer !== undefined)).toHaveLength(surveyCount);
    const expected = new Map<string, Record<string, number>>();
    for (const survey of surveys) {
      for (const { scope, period } of aggregateKeysOf(
        survey.storeId,
        periodsOf(survey.firstAnsweredAt ?? ''),
      )) {
        const counts = expected.get(`${scope}|${period}`) ?? {};
        for (const attribute of driverAttributesOf(survey)) counts[attribute] = (counts[attribute] ?? 0) + 1;
        expected.set(`${scope}|${period}`, counts);
      }
    }
    const items = await scanTable(stack.db, stack.env.AGGREGATES_TABLE ?? '');
    const stored = new Map(
      items.map((item) => [
        `${String(item.scope)}|${String(item.period)}`,
        Object.fromEntries(
          Object.entries(item).filter(([name, value]) => /^(dr|rs|th)_/.test(name) && value !== 0),
        ),
      ]),
    );
    const withDrivers = [...stored].filter(([, counts]) => Object.keys(counts).length > 0).map(([id]) => id);
    expect(new Set(withDrivers)).toEqual(new Set(expected.keys()));
    for (const [id, counts] of expected) expect([id, stored.get(id)]).toEqual([id, counts]);
    // The answers did name reasons and themes in every language.
    const all = [...expected.entries()].filter(([id]) => id.startsWith('all|month#'));
    expect(
      all.flatMap(([, counts]) => Object.keys(counts)).filter((name) => name.startsWith('th_')).length,
    ).toBeGreaterThan(5);
  });

  it('keeps as examples of each theme the latest counted comments of that theme, per store and month', async () => {
    const surveys = await allSurveys();
    const items = await scanTable(stack.db, stack.env.AGGREGATES_TABLE ?? '');
    const monthOf = (survey: SurveyRecord) => periodsOf(survey.firstAnsweredAt ?? '').month;
    let kept = 0;
    for (const item of items.filter((candidate) => String(candidate.scope).startsWith('store#'))) {
      const examples = (item.themeExamples ?? {}) as Record<string, ThemeExample[]>;
      const own = surveys.filter(
        (survey) => `store#${survey.storeId}` === item.scope && monthOf(survey) === item.period,
      );
      for (const theme of themeCodes) {
        const list = examples[theme] ?? [];
        kept += list.length;
        const themed = own.filter((survey) =>
          themesOf(survey.answer?.comment, languageOf(survey.locale)).includes(theme),
        );
        expect(list.length).toBeLessThanOrEqual(EXAMPLES_KEPT);
        // Each example is a counted comment of the theme, as it stands now, latest first.
        for (const example of list) {
          const survey = themed.find((candidate) => candidate.surveyId === example.surveyId);
          expect([theme, example.comment]).toEqual([theme, survey?.answer?.comment]);
          expect(example).toMatchObject({ score: survey?.answer?.score, at: survey?.answer?.at });
        }
        expect(list.map(({ at }) => at)).toEqual(
          list
            .map(({ at }) => at)
            .sort()
            .reverse(),
        );
        // Every comment of the theme left out is older than every example kept.
        const oldest = list.at(-1)?.at;
        const left = themed.filter((survey) => !list.some((example) => example.surveyId === survey.surveyId));
        if (oldest !== undefined)
          for (const survey of left) expect((survey.answer?.at ?? '') <= (oldest ?? '')).toBe(true);
      }
    }
    expect(kept).toBeGreaterThan(10);
  });

  it('reports each reason’s mentions, categories and NPS as recounted from the stored answers', async () => {
    const surveys = (await allSurveys()).filter((survey) => survey.answer !== undefined);
    const day = (days: number) => addDays(new Date(), days).toISOString().slice(0, 10);
    const report = await buildReport(
      {
        aggregates: createAggregateRepository(stack.db, stack.env.AGGREGATES_TABLE ?? ''),
        stores: stack.stores,
      },
      { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' },
      { from: day(-40), to: day(40), by: 'month' },
    );
    expect(report.drivers.overall.answers).toBe(surveyCount);
    for (const figures of report.drivers.overall.reasons) {
      const named = surveys.filter((survey) => survey.answer?.reasons.includes(figures.reason));
      const count = (category: string) =>
        named.filter((survey) => categoryOf(survey.answer?.score ?? 0) === category).length;
      const [promoters, passives, detractors] = [count('promoter'), count('passive'), count('detractor')];
      expect(figures).toMatchObject({ mentions: named.length, promoters, passives, detractors });
      if (named.length > 0)
        expect(figures.nps).toBeCloseTo(((promoters - detractors) / named.length) * 100, 9);
      const allDetractors = surveys.filter(
        (survey) => categoryOf(survey.answer?.score ?? 0) === 'detractor',
      ).length;
      if (allDetractors > 0)
        expect(figures.shareOfCategory.detractors).toBeCloseTo(detractors / allDetractors, 9);
    }
    for (const store of report.drivers.stores) {
      const own = surveys.filter((survey) => survey.storeId === store.storeId);
      expect(store.answers).toBe(own.length);
      expect(store.withComments).toBe(own.filter((survey) => (survey.answer?.comment ?? '') !== '').length);
    }
  });
});
