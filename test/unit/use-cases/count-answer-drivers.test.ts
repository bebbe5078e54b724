import { beforeEach, describe, expect, it } from 'vitest';
import type { FollowUpTask } from '../../../functions/schemas/answer';
import { type CountAnswerDeps, countAnswer } from '../../../functions/use-cases/count-answer';
import { aCustomer, createCustomerTable } from '../../support/in-memory-customers';
import { createOnce, createTaskQueue } from '../../support/in-memory-effects';
import { createSurveyTables, type SurveyTables, sentSurvey } from '../../support/in-memory-surveys';

const token = 'tok-aaaaaaaaaaaaaaaaaaaaaa';
const items = [
  ['store#S1', 'day#2026-11-02'],
  ['store#S1', 'month#2026-11'],
  ['all', 'day#2026-11-02'],
  ['all', 'month#2026-11'],
] as const;

let tables: SurveyTables;
let deps: CountAnswerDeps;

beforeEach(() => {
  tables = createSurveyTables();
  tables.surveys.set(token, sentSurvey({ locale: 'fr-CA' }));
  const customers = createCustomerTable();
  customers.customers.set('C1', aCustomer());
  deps = {
    // No previous survey's case: drivers do not depend on win-back.
    cases: { caseAtNextSurvey: async () => undefined },
    surveys: tables.surveyRepository,
    answers: tables.answerRepository,
    customers: customers.repository,
    followUps: createTaskQueue<FollowUpTask>().queue,
    recheck: createTaskQueue<{ token: string }>().queue,
    themeExamples: tables.themeExampleRepository,
    once: createOnce().once,
    holdSeconds: 60,
    clock: () => new Date('2026-11-03T12:00:00.000Z'),
  };
});

const driversOfItems = () => items.map(([scope, period]) => tables.drivers(scope, period));

describe('countAnswer counts the drivers', () => {
  it('counts the reasons picked and the comment’s themes (in the survey’s language) in the answer’s category', async () => {
    tables.answer(token, {
      score: 4,
      at: '2026-11-02T10:00:00.000Z',
      reasons: ['delivery', 'staff'],
      comment: 'Livraison en retard et vendeur désagréable',
    });
    await countAnswer(deps, token);
    await countAnswer(deps, token);

    expect(driversOfItems()).toEqual(
      Array(4).fill({
        dr_answers_detractors: 1,
        dr_reasons_detractors: 1,
        dr_comments_detractors: 1,
        rs_delivery_detractors: 1,
        rs_staff_detractors: 1,
        'th_staff-attitude_detractors': 1,
        th_delivery_detractors: 1,
      }),
    );
  });

  it('moves the counts when the customer changes score, reasons and comment', async () => {
    tables.answer(token, {
      score: 4,
      at: '2026-11-02T10:00:00.000Z',
      reasons: ['price'],
      comment: 'Trop cher',
    });
    await countAnswer(deps, token);
    tables.answer(token, { score: 9, at: '2026-11-03T10:00:00.000Z', reasons: ['staff'] });
    await countAnswer(deps, token);

    expect(driversOfItems()).toEqual(
      Array(4).fill({
        dr_answers_detractors: 0,
        dr_reasons_detractors: 0,
        dr_comments_detractors: 0,
        rs_price_detractors: 0,
        'th_price-value_detractors': 0,
        dr_answers_promoters: 1,
        dr_reasons_promoters: 1,
        rs_staff_promoters: 1,
      }),
    );
  });

  it('counts an answer counted before drivers were, once it changes, without taking anything off', async () => {
    tables.answer(token, { score: 3, at: '2026-11-02T10:00:00.000Z', reasons: ['price'] });
    const survey = tables.surveys.get(token);
    if (survey === undefined) throw new Error('no survey');
    // Counted by the code before drivers: the counted answer has no `drivers`, and no driver counts exist.
    Object.assign(survey, {
      counted: { score: 3, version: 1, day: 'day#2026-11-02', month: 'month#2026-11' },
      answer: survey.answers?.[0],
    });
    delete survey.countShard;
    tables.answer(token, { score: 3, at: '2026-11-02T11:00:00.000Z', reasons: ['website'] });
    await countAnswer(deps, token);

    expect(driversOfItems()).toEqual(
      Array(4).fill({ dr_answers_detractors: 1, dr_reasons_detractors: 1, rs_website_detractors: 1 }),
    );
  });

  it('counts nothing for the drivers from a scanner’s discarded answers', async () => {
    for (const [second, score] of [
      [0, 0],
      [1, 5],
      [2, 10],
    ] as const)
      tables.answer(token, {
        score,
        at: `2026-11-02T10:00:0${second}.000Z`,
        source: 'auto',
        signals: { gesture: false, dwellMs: 0 },
        reasons: ['other'],
      });
    await countAnswer(deps, token);

    expect(driversOfItems()).toEqual(Array(4).fill({}));
  });
});

describe('countAnswer keeps example comments per theme', () => {
  it('keeps the counted comment as an example of each of its themes, in the store’s month', async () => {
    tables.answer(token, {
      score: 2,
      at: '2026-11-02T10:00:00.000Z',
      comment: 'Attente interminable en caisse',
    });
    await countAnswer(deps, token);

    const example = {
      surveyId: 'sv-1',
      score: 2,
      comment: 'Attente interminable en caisse',
      at: '2026-11-02T10:00:00.000Z',
      day: '2026-11-02',
    };
    expect(tables.examples.get('store#S1|month#2026-11')).toEqual({
      waiting: [example],
      'checkout-payment': [example],
    });
  });

  it('moves the example when the comment changes theme, and drops it when the comment goes', async () => {
    tables.answer(token, { score: 2, at: '2026-11-02T10:00:00.000Z', comment: 'Trop cher' });
    await countAnswer(deps, token);
    tables.answer(token, { score: 6, at: '2026-11-02T11:00:00.000Z', comment: 'Livraison lente' });
    await countAnswer(deps, token);
    expect(Object.keys(tables.examples.get('store#S1|month#2026-11') ?? {})).toEqual(['waiting', 'delivery']);

    tables.answer(token, { score: 6, at: '2026-11-02T12:00:00.000Z' });
    await countAnswer(deps, token);
    expect(tables.examples.get('store#S1|month#2026-11')).toEqual({});
  });

  it('writes no example for surveys whose comments never had a theme', async () => {
    tables.answer(token, { score: 10, at: '2026-11-02T10:00:00.000Z', comment: 'Parfait' });
    await countAnswer(deps, token);
    expect(tables.calls.filter((call) => call.startsWith('aggregates.recordThemeExample'))).toEqual([]);
  });
});
