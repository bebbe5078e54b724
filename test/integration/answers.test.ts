import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAnswerRepository } from '../../functions/adapters/answer-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { aggregateKeysOf, periodsOf } from '../../functions/domain/aggregates';
import { categoryOf } from '../../functions/domain/nps';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import type { FollowUpTask } from '../../functions/schemas/answer';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { SurveyRecord } from '../../functions/schemas/survey';
import { answerSurvey } from '../../functions/use-cases/answer-survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { listTestimonials } from '../../functions/use-cases/testimonials';
import { startApiServer } from '../../local/api-server';
import { seededRandom } from '../support/aws-faults';
import { scanTable } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { takeFollowUpTasks } from '../support/queue-tasks';
import { sentEmails } from '../support/ses-store';

const surveyCount = 500;
let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let tokens: string[];
/** The link token behind each survey key (the table keeps only the key, the hash of the link). */
const linkOf = new Map<string, string>();
const finalScore = new Map<string, number>();

const post = (token: string, score: number, asJson: boolean, comment?: string) =>
  fetch(
    `${api.url}/s/${token}`,
    asJson
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ score, comment }),
        }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            score: String(score),
            ...(comment && { comment }),
            reasons: 'staff',
          }).toString(),
        },
  );

const allSurveys = async () =>
  (await scanTable(stack.db, stack.env.SURVEYS_TABLE ?? '')).map((item) => SurveyRecord.parse(item));

const followUpTasks = () => takeFollowUpTasks(stack.sqs, stack.env.FOLLOWUPS_QUEUE_URL);

beforeAll(async () => {
  stack = await startIsolatedStack('answers', {}, { ownDynamoDb: true });
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  const domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon 1', 'm1@stores.example.com', '', 'Europe/Paris'],
      ['S2', 'Boston 1', 'm2@stores.example.com', '', 'America/New_York'],
    ]),
    { stores: stack.stores },
  );
  const rows = Array.from({ length: surveyCount }, (_, n) => [
    `A${n}`,
    `a${n}@${domain}`,
    'Sam',
    'Doe',
    n % 3 ? 'S1' : 'S2',
    'en',
  ]);
  await importCustomers(recordsOf([[...customerCsvColumns], ...rows]), {
    customers: stack.customers,
    stores: stack.stores,
  });
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain(180_000);
  const emails = await sentEmails((to) => to.endsWith(`@${domain}`));
  tokens = emails.map((email) => /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email.body.html ?? '')?.[1] ?? '');
  expect(new Set(tokens).size).toBe(surveyCount);
  for (const token of tokens) linkOf.set(surveyKeyOf(token), token);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('answers under concurrency', () => {
  it('keeps the aggregates equal to a recount of the stored answers, with duplicate clicks and changed answers', async () => {
    // Every survey is answered; one in five is double-clicked; one in five changes its answer.
    const random = seededRandom(7);
    const limit = pLimit(16);
    const submissions: Promise<Response>[] = [];
    for (const [index, token] of tokens.entries()) {
      const first = Math.floor(random() * 11);
      finalScore.set(token, first);
      submissions.push(limit(() => post(token, first, index % 2 === 0)));
      if (index % 5 === 1) submissions.push(limit(() => post(token, first, index % 2 === 0)));
    }
    expect((await Promise.all(submissions)).map((response) => response.status)).toEqual(
      submissions.map(() => 200),
    );
    const changes = tokens
      .filter((_, index) => index % 5 === 3)
      .map((token) => {
        const changed = ((finalScore.get(token) ?? 0) + 4) % 11;
        finalScore.set(token, changed);
        return limit(() => post(token, changed, true, 'changed my mind'));
      });
    expect((await Promise.all(changes)).every((response) => response.ok)).toBe(true);
    await stack.consumers.answerStream.drain(180_000);

    const surveys = await allSurveys();
    expect(surveys.filter((survey) => survey.answer !== undefined)).toHaveLength(surveyCount);
    for (const survey of surveys) {
      expect(survey.answer?.score).toBe(finalScore.get(linkOf.get(survey.token) ?? ''));
      expect(survey.counted?.version).toBe(survey.version);
    }
    expect(surveys.filter((survey) => (survey.answers ?? []).length > 1)).toHaveLength(changes.length);

    // Recount from the stored answers and compare with every aggregate.
    const expected = new Map<string, Record<string, number>>();
    for (const survey of surveys) {
      const score = survey.answer?.score ?? -1;
      for (const key of aggregateKeysOf(survey.storeId, periodsOf(survey.firstAnsweredAt ?? ''))) {
        const id = `${key.scope}|${key.period}`;
        const counts = expected.get(id) ?? { total: 0, promoters: 0, passives: 0, detractors: 0 };
        counts.total = (counts.total ?? 0) + 1;
        const category = `${categoryOf(score)}s`;
        counts[category] = (counts[category] ?? 0) + 1;
        counts[`h${score}`] = (counts[`h${score}`] ?? 0) + 1;
        expected.set(id, counts);
      }
    }
    for (const [id, counts] of expected) {
      const [scope, period] = id.split('|');
      const { Items = [] } = await stack.db.send(
        new QueryCommand({
          TableName: stack.env.AGGREGATES_TABLE,
          KeyConditionExpression: '#scope = :scope AND #period = :period',
          ExpressionAttributeNames: { '#scope': 'scope', '#period': 'period' },
          ExpressionAttributeValues: { ':scope': scope, ':period': period },
        }),
      );
      const stored = Object.fromEntries(
        Object.entries(Items[0] ?? {}).filter(
          // `invited` is counted at the sending, which falls in the same month on some days.
          // The drivers' counts (`dr_`, `rs_`, `th_`) are recounted in test/integration/drivers.test.ts.
          ([name, value]) =>
            name !== 'scope' &&
            name !== 'period' &&
            name !== 'invited' &&
            !/^(dr|rs|th)_|^themeExamples/.test(name) &&
            value !== 0,
        ),
      );
      expect(stored).toEqual(Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== 0)));
    }
  });

  it('hands exactly one follow-up task to each detractor survey, and notes changed answers on it', async () => {
    const tasks = await followUpTasks();
    const surveys = await allSurveys();
    const detractorTasks = new Map<string, number>();
    for (const task of tasks) {
      if (task.kind === 'detractor')
        detractorTasks.set(task.surveyId, (detractorTasks.get(task.surveyId) ?? 0) + 1);
    }
    expect(Math.max(...detractorTasks.values())).toBe(1);
    for (const survey of surveys) {
      if (categoryOf(survey.answer?.score ?? 10) === 'detractor')
        expect(detractorTasks.get(survey.surveyId)).toBe(1);
      if (detractorTasks.has(survey.surveyId) && categoryOf(survey.answer?.score ?? 0) !== 'detractor') {
        const notes = tasks.filter(
          (task): task is Extract<FollowUpTask, { kind: 'answer-changed' }> =>
            task.kind === 'answer-changed' && task.surveyId === survey.surveyId,
        );
        expect(notes.at(-1)?.score).toBe(survey.answer?.score);
      }
    }
  });

  it('counts an answer the stream consumer missed at the next tick, through the answers queue', async () => {
    const token = tokens[0] ?? '';
    const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
    const answers = createAnswerRepository(stack.db, {
      surveys: stack.env.SURVEYS_TABLE ?? '',
      aggregates: stack.env.AGGREGATES_TABLE ?? '',
    });
    const newScore = ((finalScore.get(token) ?? 0) + 1) % 11;
    // The stream consumer is not polled here, as if it were down.
    const { changed } = await answerSurvey({ surveys, answers }, token, {
      score: newScore,
      reasons: [],
      source: 'form',
    });
    expect(changed).toBe(true);
    const key = surveyKeyOf(token);
    const before = await surveys.get(key);
    expect(before?.counted?.version).toBeLessThan(before?.version ?? 0);

    const queued = await runTick(stack.schedule, new Date(Date.now() + 3 * 60_000));
    expect(queued.recounts).toBe(1);
    await stack.consumers.answers.drain();
    const after = await surveys.get(key);
    expect(after?.counted).toMatchObject({ score: newScore, version: after?.version });
    finalScore.set(token, newScore);
    await stack.consumers.answerStream.drain(); // the late stream record finds it counted already
    expect((await surveys.get(key))?.counted?.version).toBe(after?.version);
  });

  it('lists the promoters who wrote why as testimonial candidates', async () => {
    const surveys = await allSurveys();
    const expected = surveys
      .filter((survey) => (survey.answer?.score ?? 0) >= 9 && (survey.answer?.comment ?? '') !== '')
      .map((survey) => survey.surveyId)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const candidates = await listTestimonials({
      answers: createAnswerRepository(stack.db, {
        surveys: stack.env.SURVEYS_TABLE ?? '',
        aggregates: stack.env.AGGREGATES_TABLE ?? '',
      }),
      customers: stack.customers,
    });
    expect(candidates.map((candidate) => candidate.surveyId).sort()).toEqual(expected);
    expect(
      candidates.every(
        (candidate) =>
          candidate.comment === 'changed my mind' &&
          candidate.email.endsWith(`@${stack.namespace}.example.com`),
      ),
    ).toBe(true);
  });

  it('feeds the latest score back into the customer record and its survey history', async () => {
    const surveys = await allSurveys();
    const sample = surveys.slice(0, 20);
    const customers = await stack.customers.getMany(sample.map((survey) => survey.customerId));
    for (const survey of sample) {
      const customer = customers.get(survey.customerId);
      expect(customer?.latestScore).toBe(survey.answer?.score);
      expect(customer?.surveyHistory.find((entry) => entry.surveyId === survey.surveyId)?.score).toBe(
        survey.answer?.score,
      );
    }
  });
});
