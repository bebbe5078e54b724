import { beforeEach, describe, expect, it } from 'vitest';
import { StaleAnswerError } from '../../../functions/adapters/answer-repository';
import { dueShardOf } from '../../../functions/domain/schedule';
import type { FollowUpTask } from '../../../functions/schemas/answer';
import { type CountAnswerDeps, countAnswer } from '../../../functions/use-cases/count-answer';
import { aCustomer, type CustomerTable, createCustomerTable } from '../../support/in-memory-customers';
import { createOnce, createTaskQueue, createWebhookOutbox } from '../../support/in-memory-effects';
import { createSurveyTables, type SurveyTables, sentSurvey } from '../../support/in-memory-surveys';

const token = 'tok-aaaaaaaaaaaaaaaaaaaaaa';
const firstDay = { store: ['store#S1', 'all'], day: 'day#2026-11-02', month: 'month#2026-11' };

let tables: SurveyTables;
let customers: CustomerTable;
let followUps: ReturnType<typeof createTaskQueue<FollowUpTask>>;
let rechecks: ReturnType<typeof createTaskQueue<{ token: string }>>;
let deps: CountAnswerDeps;
/** Cases by id, as the win-back reads them; and the ids read. */
let caseOutcomes: Map<string, { storeId: string; status: string; firstReachedAt?: string }>;
let casesRead: string[];
/** The clock of the counting function: well after every answer of these tests unless a test moves it. */
let now: Date;

beforeEach(() => {
  tables = createSurveyTables();
  tables.surveys.set(token, sentSurvey());
  customers = createCustomerTable();
  customers.customers.set(
    'C1',
    aCustomer({ surveyHistory: [{ surveyId: 'sv-1', sentAt: '2026-11-01T09:00:00.000Z' }] }),
  );
  followUps = createTaskQueue<FollowUpTask>();
  rechecks = createTaskQueue<{ token: string }>();
  now = new Date('2026-11-03T12:00:00.000Z');
  caseOutcomes = new Map();
  casesRead = [];
  deps = {
    cases: {
      caseAtNextSurvey: async (caseId) => {
        casesRead.push(caseId);
        return caseOutcomes.get(caseId);
      },
    },
    surveys: tables.surveyRepository,
    answers: tables.answerRepository,
    customers: customers.repository,
    followUps: followUps.queue,
    recheck: rechecks.queue,
    themeExamples: tables.themeExampleRepository,
    once: createOnce().once,
    holdSeconds: 60,
    clock: () => now,
  };
});

/** The four aggregate items an answer of 2 November at store S1 counts in. */
const countedItems = () =>
  firstDay.store.flatMap((scope) =>
    [firstDay.day, firstDay.month].map((period) => tables.aggregate(scope, period)),
  );

describe('countAnswer', () => {
  it('counts a first answer once in the store’s and everyone’s day and month', async () => {
    tables.answer(token, { score: 10, at: '2026-11-02T10:00:00.000Z' });

    expect((await countAnswer(deps, token)).outcome).toBe('counted');
    expect((await countAnswer(deps, token)).outcome).toBe('counted');

    expect(countedItems()).toEqual(Array(4).fill({ total: 1, promoters: 1, h10: 1 }));
    expect(tables.surveys.get(token)).toMatchObject({
      counted: { score: 10, version: 1, day: firstDay.day, month: firstDay.month },
    });
    expect(tables.surveys.get(token)?.countShard).toBeUndefined();
    expect(tables.calls.filter((call) => call.startsWith('answers.settle'))).toHaveLength(1);
  });

  it('has nothing to count for an unanswered or unknown survey, and writes nothing', async () => {
    expect((await countAnswer(deps, token)).outcome).toBe('nothing-to-count');
    expect((await countAnswer(deps, 'tok-unknown-aaaaaaaaaaaa')).outcome).toBe('nothing-to-count');

    expect(tables.aggregates.size).toBe(0);
    expect([...tables.calls, ...customers.calls]).toEqual([]);
    expect(followUps.sent).toEqual([]);
  });

  it('counts a changed answer as a move from detractor to promoter, in the first answer’s day', async () => {
    tables.answer(token, { score: 3, at: '2026-11-02T23:50:00.000Z' });
    await countAnswer(deps, token);
    tables.answer(token, { score: 10, at: '2026-11-03T00:10:00.000Z', comment: 'They called me back' });

    expect((await countAnswer(deps, token)).outcome).toBe('counted');

    expect(countedItems()).toEqual(Array(4).fill({ total: 1, detractors: 0, promoters: 1, h3: 0, h10: 1 }));
    expect(tables.aggregate('store#S1', 'day#2026-11-03')).toEqual({});
    expect(tables.surveys.get(token)?.counted).toEqual({
      score: 10,
      version: 2,
      day: firstDay.day,
      month: firstDay.month,
      drivers: { reasons: [], themes: ['contact'], commented: true },
    });
  });

  it.each([
    [
      'closed after a call reached the customer',
      { status: 'closed', firstReachedAt: '2026-05-02T10:00:00.000Z' },
      'called',
    ],
    ['never called', { status: 'open' }, 'not-reached'],
    ['called without reaching the customer', { status: 'contacted' }, 'not-reached'],
    ['closed without reaching the customer', { status: 'closed' }, 'not-reached'],
    [
      'reached, still open',
      { status: 'contacted', firstReachedAt: '2026-05-02T10:00:00.000Z' },
      'reached-open',
    ],
  ] as const)(
    'keeps on the survey, at its first count, a previous detractor’s case %s',
    async (_, caseRecord, group) => {
      customers.customers.set(
        'C1',
        aCustomer({
          surveyHistory: [
            { surveyId: 'sv-0', sentAt: '2026-05-01T09:00:00.000Z', score: 4 },
            { surveyId: 'sv-1', sentAt: '2026-11-01T09:00:00.000Z' },
          ],
        }),
      );
      caseOutcomes.set('sv-0', { storeId: 'S7', ...caseRecord });
      tables.answer(token, { score: 9, at: '2026-11-02T10:00:00.000Z' });

      await countAnswer(deps, token);

      expect(tables.surveys.get(token)?.winBack).toEqual({
        surveyId: 'sv-0',
        score: 4,
        storeId: 'S7',
        group,
      });
      expect(tables.aggregate('store#S7', 'month#2026-11')).toEqual(
        group === 'called'
          ? { wbCalledPromoters: 1 }
          : group === 'not-reached'
            ? { wbNotReachedPromoters: 1 }
            : {},
      );
    },
  );

  it('reads the case once, at the first count, and none after a passive or for a first survey', async () => {
    customers.customers.set(
      'C1',
      aCustomer({
        surveyHistory: [
          { surveyId: 'sv-0', sentAt: '2026-05-01T09:00:00.000Z', score: 2 },
          { surveyId: 'sv-1', sentAt: '2026-11-01T09:00:00.000Z' },
        ],
      }),
    );
    caseOutcomes.set('sv-0', { storeId: 'S1', status: 'open' });
    tables.answer(token, { score: 9, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);
    // Reached meanwhile: the survey keeps the group it was counted in.
    caseOutcomes.set('sv-0', { storeId: 'S1', status: 'closed', firstReachedAt: '2026-11-02T12:00:00.000Z' });
    tables.answer(token, { score: 10, at: '2026-11-02T11:00:00.000Z' });
    await countAnswer(deps, token);

    expect(casesRead).toEqual(['sv-0']);
    expect(tables.surveys.get(token)?.winBack?.group).toBe('not-reached');
    expect(tables.aggregate('all', 'day#2026-11-02')).toMatchObject({ wbNotReachedPromoters: 1 });

    const other = 'tok-bbbbbbbbbbbbbbbbbbbbbb';
    tables.surveys.set(other, sentSurvey({ token: other, surveyId: 'sv-2', customerId: 'C2' }));
    customers.customers.set(
      'C2',
      aCustomer({
        customerId: 'C2',
        surveyHistory: [
          { surveyId: 'sv-9', sentAt: '2026-05-01T09:00:00.000Z', score: 7 },
          { surveyId: 'sv-2', sentAt: '2026-11-01T09:00:00.000Z' },
        ],
      }),
    );
    tables.answer(other, { score: 9, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, other);
    expect(casesRead).toEqual(['sv-0']);
    expect(tables.surveys.get(other)).not.toHaveProperty('winBack');
  });

  it('counts a detractor’s next answer as won back in their case’s store, and moves it when the answer changes', async () => {
    tables.surveys.set(
      token,
      sentSurvey({ winBack: { surveyId: 'sv-0', score: 2, storeId: 'S7', group: 'not-reached' } }),
    );
    tables.answer(token, { score: 8, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);

    expect(tables.aggregate('store#S7', 'month#2026-11')).toEqual({ wbNotReachedPassives: 1 });
    expect(tables.aggregate('store#S1', 'day#2026-11-02')).toEqual({ total: 1, passives: 1, h8: 1 });
    expect(tables.aggregate('all', 'day#2026-11-02')).toEqual({
      total: 1,
      passives: 1,
      h8: 1,
      wbNotReachedPassives: 1,
    });

    tables.answer(token, { score: 5, at: '2026-11-04T10:00:00.000Z' });
    await countAnswer(deps, token);

    expect(tables.aggregate('store#S7', 'day#2026-11-02')).toEqual({
      wbNotReachedPassives: 0,
      wbNotReachedDetractors: 1,
    });
  });

  it('counts a new score within the same category as a move in the histogram only', async () => {
    tables.answer(token, { score: 9, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);
    tables.answer(token, { score: 10, at: '2026-11-02T10:01:00.000Z' });
    await countAnswer(deps, token);

    expect(tables.aggregate('store#S1', firstDay.day)).toEqual({ total: 1, promoters: 1, h9: 0, h10: 1 });
  });

  it('feeds the latest score back to the customer record', async () => {
    tables.answer(token, { score: 4, at: '2026-11-02T10:00:00.000Z', reasons: ['price'] });
    await countAnswer(deps, token);

    expect(customers.customers.get('C1')).toMatchObject({
      latestScore: 4,
      latestScoreAt: '2026-11-02T10:00:00.000Z',
      latestSurveyId: 'sv-1',
      latestReasons: ['price'],
      surveyHistory: [{ surveyId: 'sv-1', score: 4, respondedAt: '2026-11-02T10:00:00.000Z' }],
    });
  });

  it('lists a promoter’s comment as a testimonial and among the store’s comments', async () => {
    tables.answer(token, { score: 10, at: '2026-11-02T10:00:00.000Z', comment: 'Lovely bakery' });
    await countAnswer(deps, token);

    expect(tables.surveys.get(token)).toMatchObject({
      testimonialShard: dueShardOf(token),
      commentStoreId: 'S1',
    });
  });

  it('takes a survey out of the testimonials when the promoter becomes a passive without comment', async () => {
    tables.answer(token, { score: 10, at: '2026-11-02T10:00:00.000Z', comment: 'Lovely bakery' });
    await countAnswer(deps, token);
    tables.answer(token, { score: 7, at: '2026-11-02T10:05:00.000Z' });
    await countAnswer(deps, token);

    expect(tables.surveys.get(token)?.testimonialShard).toBeUndefined();
    expect(tables.surveys.get(token)?.commentStoreId).toBeUndefined();
  });

  it('hands a detractor to follow-up once, however often the task runs', async () => {
    tables.answer(token, {
      score: 2,
      at: '2026-11-02T10:00:00.000Z',
      comment: 'Waited an hour',
      reasons: ['staff'],
    });

    for (let run = 0; run < 3; run++) await countAnswer(deps, token);

    expect(followUps.sent).toEqual([
      {
        kind: 'detractor',
        surveyId: 'sv-1',
        customerId: 'C1',
        storeId: 'S1',
        score: 2,
        comment: 'Waited an hour',
        reasons: ['staff'],
        answeredAt: '2026-11-02T10:00:00.000Z',
      },
    ]);
    expect(tables.surveys.get(token)).toMatchObject({
      followUpQueuedAt: '2026-11-02T10:00:00.000Z',
      followUpScore: 2,
      followUpAnswerKey: tables.surveys.get(token)?.answerKey,
      answer: expect.objectContaining({ score: 2, verdict: expect.objectContaining({ reason: 'sent' }) }),
    });
  });

  it('hands no promoter or passive to follow-up', async () => {
    tables.answer(token, { score: 8, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);

    expect(followUps.sent).toEqual([]);
    expect(tables.surveys.get(token)?.followUpQueuedAt).toBeUndefined();
  });

  it('hands a promoter who changes to a detractor to follow-up as a detractor', async () => {
    tables.answer(token, { score: 9, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);
    tables.answer(token, { score: 1, at: '2026-11-02T10:02:00.000Z' });
    await countAnswer(deps, token);

    expect(followUps.sent).toEqual([expect.objectContaining({ kind: 'detractor', score: 1 })]);
  });

  it('notes each change of a detractor’s answer on the case once, a late comment included', async () => {
    tables.answer(token, { score: 2, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);
    tables.answer(token, { score: 2, at: '2026-11-02T10:01:00.000Z', comment: 'Rude cashier' });
    await countAnswer(deps, token);
    await countAnswer(deps, token);
    tables.answer(token, { score: 7, at: '2026-11-02T11:00:00.000Z', reasons: ['staff'] });
    await countAnswer(deps, token);

    expect(followUps.sent).toEqual([
      expect.objectContaining({ kind: 'detractor', score: 2 }),
      {
        kind: 'answer-changed',
        surveyId: 'sv-1',
        score: 2,
        comment: 'Rude cashier',
        reasons: [],
        answeredAt: '2026-11-02T10:01:00.000Z',
      },
      {
        kind: 'answer-changed',
        surveyId: 'sv-1',
        score: 7,
        reasons: ['staff'],
        answeredAt: '2026-11-02T11:00:00.000Z',
      },
    ]);
    expect(tables.aggregate('store#S1', firstDay.day)).toMatchObject({
      total: 1,
      detractors: 0,
      passives: 1,
    });
  });

  it('queues the detractor once when the task crashed after queueing it, and counts on the retry', async () => {
    tables.answer(token, { score: 0, at: '2026-11-02T10:00:00.000Z' });
    const { noteFollowUp } = tables.answerRepository;
    let crashes = 1;
    deps = {
      ...deps,
      answers: {
        ...tables.answerRepository,
        noteFollowUp: async (...args) => {
          if (crashes-- > 0) throw new Error('the function timed out');
          return noteFollowUp(...args);
        },
      },
    };

    await expect(countAnswer(deps, token)).rejects.toThrow('timed out');
    expect(tables.aggregates.size).toBe(0);
    expect(tables.surveys.get(token)?.counted).toBeUndefined();

    expect((await countAnswer(deps, token)).outcome).toBe('counted');
    expect(followUps.sent).toHaveLength(1);
    expect(tables.aggregate('all', firstDay.day)).toEqual({ total: 1, detractors: 1, h0: 1 });
  });

  it('leaves the answer uncounted when the hand-off fails, so the retry counts and hands it off', async () => {
    tables.answer(token, { score: 0, at: '2026-11-02T10:00:00.000Z' });
    followUps.failNext(new Error('SQS is down'));

    await expect(countAnswer(deps, token)).rejects.toThrow('SQS is down');
    expect(tables.surveys.get(token)?.countShard).toBe('0');
    expect(tables.aggregates.size).toBe(0);

    await countAnswer(deps, token);
    expect(followUps.sent).toEqual([expect.objectContaining({ kind: 'detractor' })]);
    expect(tables.aggregate('store#S1', firstDay.month)).toEqual({ total: 1, detractors: 1, h0: 1 });
  });

  it('counts the newer answer when the survey changed while counting, handing off both', async () => {
    tables.answer(token, { score: 2, at: '2026-11-02T10:00:00.000Z' });
    tables.beforeCount.push(() => tables.answer(token, { score: 10, at: '2026-11-02T10:00:30.000Z' }));

    expect((await countAnswer(deps, token)).outcome).toBe('counted');

    expect(tables.calls.filter((call) => call.startsWith('answers.settle'))).toEqual([
      `answers.settle ${token} v1`,
      `answers.settle ${token} v2`,
    ]);
    expect(countedItems()).toEqual(Array(4).fill({ total: 1, promoters: 1, h10: 1 }));
    expect(followUps.sent.map((task) => [task.kind, 'score' in task && task.score])).toEqual([
      ['detractor', 2],
      ['answer-changed', 10],
    ]);
  });

  it('gives up with the conflict after ten retries, having counted nothing', async () => {
    tables.answer(token, { score: 5, at: '2026-11-02T10:00:00.000Z' });
    let minute = 0;
    for (let attempt = 0; attempt < 20; attempt++) {
      tables.beforeCount.push(() =>
        tables.answer(token, { score: 5, at: `2026-11-02T10:${String(++minute).padStart(2, '0')}:00.000Z` }),
      );
    }

    await expect(countAnswer(deps, token)).rejects.toBeInstanceOf(StaleAnswerError);

    expect(tables.calls.filter((call) => call.startsWith('answers.settle'))).toHaveLength(11);
    expect(tables.aggregates.size).toBe(0);
  });

  it('does not retry an error that is not a conflict', async () => {
    tables.answer(token, { score: 5, at: '2026-11-02T10:00:00.000Z' });
    tables.beforeCount.push(() => {
      throw new Error('ProvisionedThroughputExceededException');
    });

    await expect(countAnswer(deps, token)).rejects.toThrow('ProvisionedThroughput');
    expect(tables.calls.filter((call) => call.startsWith('answers.settle'))).toHaveLength(1);
  });
});

describe('countAnswer with answers the page saved by itself', () => {
  const untouched = (score: number, at: string) =>
    ({ score, at, source: 'auto', signals: { gesture: false, dwellMs: 1600, webdriver: false } }) as const;

  it('holds an untouched answer, asks to come back when its hold ends, then counts it', async () => {
    now = new Date('2026-11-02T10:00:10.000Z');
    tables.answer(token, untouched(2, '2026-11-02T10:00:00.000Z'));

    expect(await countAnswer(deps, token)).toEqual({ outcome: 'held', discarded: 0 });
    expect(rechecks.sent).toEqual([{ token }]);
    expect(tables.aggregates.size).toBe(0);
    expect(followUps.sent).toEqual([]);
    expect(tables.surveys.get(token)).toMatchObject({ countShard: '0', status: 'sent' });

    now = new Date('2026-11-02T10:01:00.000Z');
    expect(await countAnswer(deps, token)).toEqual({ outcome: 'counted', discarded: 0 });
    expect(countedItems()).toEqual(Array(4).fill({ total: 1, detractors: 1, h2: 1 }));
    expect(followUps.sent).toEqual([expect.objectContaining({ kind: 'detractor', score: 2 })]);
    expect(tables.surveys.get(token)).toMatchObject({
      status: 'responded',
      answer: { score: 2, verdict: { kind: 'accepted', reason: 'no-scanner-signal' } },
    });
    expect(tables.surveys.get(token)?.countShard).toBeUndefined();
  });

  it('discards a scanner’s burst of scores as its own figure, opening no case and keeping the reminder', async () => {
    tables.surveys.set(token, sentSurvey({ reminderShard: '3', reminderDueAt: '2026-11-06T09:00:00.000Z' }));
    now = new Date('2026-11-02T10:00:12.000Z');
    for (let score = 0; score <= 10; score++)
      tables.answer(token, untouched(score, `2026-11-02T10:00:${String(score).padStart(2, '0')}.000Z`));

    expect(await countAnswer(deps, token)).toEqual({ outcome: 'nothing-to-count', discarded: 11 });

    expect(countedItems()).toEqual(Array(4).fill({ scannerAnswers: 11 }));
    expect(followUps.sent).toEqual([]);
    expect(customers.calls).toEqual([]);
    const survey = tables.surveys.get(token);
    expect(survey?.answers?.map((answer) => answer.verdict?.kind)).toEqual(Array(11).fill('discarded'));
    expect(survey).toMatchObject({ status: 'sent', reminderShard: '3' });
    expect(survey?.answer).toBeUndefined();
    expect(survey?.countShard).toBeUndefined();
    expect(rechecks.sent).toEqual([]);
  });

  it('keeps the person’s counted answer when a scanner opens every link afterwards', async () => {
    tables.answer(token, { score: 9, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);
    for (const score of [0, 1, 2]) tables.answer(token, untouched(score, `2026-11-02T10:05:0${score}.000Z`));

    expect(await countAnswer(deps, token)).toEqual({ outcome: 'counted', discarded: 3 });

    expect(countedItems()).toEqual(Array(4).fill({ total: 1, promoters: 1, h9: 1, scannerAnswers: 3 }));
    expect(tables.surveys.get(token)?.counted?.score).toBe(9);
  });

  it('discards untouched answers around a fetch of the e-mail’s hidden link', async () => {
    now = new Date('2026-11-02T10:00:05.000Z');
    tables.answer(token, untouched(1, '2026-11-02T10:00:00.000Z'));
    await tables.answerRepository.noteHoneypot(token, '2026-11-02T10:00:04.000Z');

    expect(await countAnswer(deps, token)).toEqual({ outcome: 'nothing-to-count', discarded: 1 });
    expect(tables.surveys.get(token)?.answers?.[0]?.verdict).toMatchObject({ reason: 'honeypot' });
  });

  it('counts a sent answer at once, while an earlier untouched one is still held', async () => {
    now = new Date('2026-11-02T10:00:20.000Z');
    tables.answer(token, untouched(3, '2026-11-02T10:00:00.000Z'));
    tables.answer(token, { score: 3, comment: 'Queue too long', at: '2026-11-02T10:00:15.000Z' });

    expect(await countAnswer(deps, token)).toEqual({ outcome: 'counted', discarded: 0 });
    expect(tables.surveys.get(token)?.answers?.map((answer) => answer.verdict?.kind)).toEqual([
      'superseded',
      'accepted',
    ]);
    expect(followUps.sent).toEqual([
      expect.objectContaining({ kind: 'detractor', comment: 'Queue too long' }),
    ]);
  });
});

describe('countAnswer’s webhook events', () => {
  const untouched = (score: number, at: string) =>
    ({ score, at, source: 'auto', signals: { gesture: false, dwellMs: 1600, webdriver: false } }) as const;
  let outbox: ReturnType<typeof createWebhookOutbox>;
  beforeEach(() => {
    outbox = createWebhookOutbox();
    deps = { ...deps, webhookEvents: outbox.outbox };
  });

  it('records response.created for the answer that counts, then response.changed, each once however often counting runs', async () => {
    tables.answer(token, { score: 4, at: '2026-11-02T10:00:00.000Z' });
    await countAnswer(deps, token);
    await countAnswer(deps, token);
    tables.answer(token, { score: 8, at: '2026-11-02T10:05:00.000Z', comment: 'Called back' });
    await countAnswer(deps, token);
    await countAnswer(deps, token);

    expect(outbox.events()).toEqual([
      {
        id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
        type: 'response.created',
        createdAt: '2026-11-02T10:00:00.000Z',
        data: expect.objectContaining({ score: 4, category: 'detractor', version: 1, storeId: 'S1' }),
      },
      expect.objectContaining({
        type: 'response.changed',
        data: expect.objectContaining({ score: 8, previousScore: 4, comment: 'Called back', version: 2 }),
      }),
    ]);
  });

  it('records nothing for an answer held, or discarded as a link scanner’s', async () => {
    now = new Date('2026-11-02T10:00:10.000Z');
    tables.answer(token, untouched(2, '2026-11-02T10:00:00.000Z'));
    expect((await countAnswer(deps, token)).outcome).toBe('held');
    expect(outbox.events().length).toBe(0);

    tables.surveys.set(token, sentSurvey());
    now = new Date('2026-11-02T10:00:12.000Z');
    for (let score = 0; score <= 10; score++)
      tables.answer(token, untouched(score, `2026-11-02T10:00:${String(score).padStart(2, '0')}.000Z`));
    expect((await countAnswer(deps, token)).discarded).toBe(11);
    expect(outbox.events().length).toBe(0);
  });

  it('records the event before the counting transaction, so a failed count records it again (once)', async () => {
    tables.answer(token, { score: 9, at: '2026-11-02T10:00:00.000Z' });
    tables.beforeCount.push(() => {
      throw new Error('ProvisionedThroughputExceededException');
    });
    await expect(countAnswer(deps, token)).rejects.toThrow();
    expect(outbox.events().length).toBe(1);
    await countAnswer(deps, token);
    expect(outbox.events().map((event) => event.type)).toEqual(['response.created']);
  });
});
