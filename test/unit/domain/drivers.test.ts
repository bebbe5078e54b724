import { describe, expect, it } from 'vitest';
import { driversOf } from '../../../functions/domain/answer-drivers';
import {
  addDriverCounts,
  driverCountsOfItem,
  driverFiguresOf,
  driversFiguresOf,
  EXAMPLE_LENGTH,
  exampleText,
  mergeExamples,
  noDriverCounts,
  reasonDelta,
  type ThemeExample,
  withExample,
} from '../../../functions/domain/drivers';

const none = { promoters: 0, passives: 0, detractors: 0 };

describe('reasonDelta', () => {
  it('counts a first answer in its category: the answer, its reasons, its comment and its themes', () => {
    expect(
      reasonDelta(undefined, {
        score: 3,
        reasons: ['delivery', 'price'],
        themes: ['waiting'],
        commented: true,
      }),
    ).toEqual({
      dr_answers_detractors: 1,
      dr_reasons_detractors: 1,
      dr_comments_detractors: 1,
      rs_delivery_detractors: 1,
      rs_price_detractors: 1,
      th_waiting_detractors: 1,
    });
  });

  it('counts an answer without reason or comment as an answer only', () => {
    expect(reasonDelta(undefined, { score: 8, reasons: [], themes: [], commented: false })).toEqual({
      dr_answers_passives: 1,
    });
  });

  it('moves every mark to the new category when the score changes category', () => {
    expect(
      reasonDelta(
        { score: 4, reasons: ['staff'], themes: ['staff-attitude'], commented: true },
        { score: 9, reasons: ['staff'], themes: ['staff-attitude'], commented: true },
      ),
    ).toEqual({
      dr_answers_detractors: -1,
      dr_reasons_detractors: -1,
      dr_comments_detractors: -1,
      rs_staff_detractors: -1,
      'th_staff-attitude_detractors': -1,
      dr_answers_promoters: 1,
      dr_reasons_promoters: 1,
      dr_comments_promoters: 1,
      rs_staff_promoters: 1,
      'th_staff-attitude_promoters': 1,
    });
  });

  it('changes only the reasons and themes that changed within a category', () => {
    expect(
      reasonDelta(
        { score: 2, reasons: ['price', 'staff'], themes: ['price-value'], commented: true },
        { score: 5, reasons: ['staff', 'website'], themes: [], commented: false },
      ),
    ).toEqual({
      rs_price_detractors: -1,
      rs_website_detractors: 1,
      'th_price-value_detractors': -1,
      dr_comments_detractors: -1,
    });
  });

  it('changes nothing when the answer counts the same (a comment reworded within the same themes)', () => {
    const marks = {
      score: 10,
      reasons: ['product' as const],
      themes: ['product-quality' as const],
      commented: true,
    };
    expect(reasonDelta(marks, marks)).toEqual({});
  });
});

describe('driversOf', () => {
  it('keeps each reason once, in the survey page’s order, and finds the comment’s themes', () => {
    expect(
      driversOf({ reasons: ['price', 'product', 'price'], comment: 'Too expensive for the quality' }, 'en'),
    ).toEqual({ reasons: ['product', 'price'], themes: ['product-quality', 'price-value'], commented: true });
  });

  it('has no theme and no comment for a blank comment', () => {
    expect(driversOf({ reasons: [], comment: '   ' }, 'fr')).toEqual({
      reasons: [],
      themes: [],
      commented: false,
    });
    expect(driversOf({ reasons: [] }, 'es')).toEqual({ reasons: [], themes: [], commented: false });
  });
});

describe('driverFiguresOf', () => {
  it('gives the category shares, the shares of each category and the NPS of those who named it', () => {
    // 2 promoters, 1 passive, 3 detractors named it, of 10 promoters, 5 passives, 5 detractors.
    const figures = driverFiguresOf(
      { promoters: 2, passives: 1, detractors: 3 },
      { promoters: 10, passives: 5, detractors: 5 },
    );
    expect(figures).toMatchObject({
      mentions: 6,
      promoters: 2,
      passives: 1,
      detractors: 3,
      lowConfidence: true,
    });
    expect(figures.share.promoters).toBeCloseTo(2 / 6, 10);
    expect(figures.share.passives).toBeCloseTo(1 / 6, 10);
    expect(figures.share.detractors).toBeCloseTo(0.5, 10);
    expect(figures.shareOfCategory).toEqual({ promoters: 0.2, passives: 0.2, detractors: 0.6 });
    expect(figures.nps).toBeCloseTo(((2 - 3) / 6) * 100, 10);
    // Adjusted Wald: n' = 9, p' = 2.75/9, d' = 3.75/9, var = p' + d' − (p' − d')² = 0.70988, ÷ 9.
    expect(figures.marginOfError).toBeCloseTo(1.96 * Math.sqrt((6.5 / 9 - (1 / 9) ** 2) / 9) * 100, 10);
    expect(figures.marginOfError).toBeCloseTo(55.05, 2);
  });

  it('has no shares and no NPS when nobody named it', () => {
    expect(driverFiguresOf(none, none)).toEqual({
      mentions: 0,
      ...none,
      share: { promoters: null, passives: null, detractors: null },
      shareOfCategory: { promoters: null, passives: null, detractors: null },
      nps: null,
      marginOfError: null,
      lowConfidence: true,
    });
  });

  it('gives −100 ± 73.5 for a single detractor', () => {
    const figures = driverFiguresOf({ ...none, detractors: 1 }, { promoters: 3, passives: 0, detractors: 1 });
    expect(figures.share).toEqual({ promoters: 0, passives: 0, detractors: 1 });
    expect(figures.shareOfCategory).toEqual({ promoters: 0, passives: null, detractors: 1 });
    expect(figures.nps).toBe(-100);
    // n' = 4, p' = 0.1875, d' = 0.4375: var = 0.625 − 0.0625 = 0.5625, √(0.5625/4) = 0.375.
    expect(figures.marginOfError).toBeCloseTo(73.5, 10);
  });

  it('is confident from 30 mentions on', () => {
    expect(driverFiguresOf({ promoters: 30, passives: 0, detractors: 0 }, none).lowConfidence).toBe(false);
    expect(driverFiguresOf({ promoters: 29, passives: 0, detractors: 0 }, none).lowConfidence).toBe(true);
  });
});

describe('driversFiguresOf', () => {
  it('ranks reasons and themes by mentions, ties in the survey’s order, from summed aggregate items', () => {
    const counts = addDriverCounts(
      driverCountsOfItem({
        dr_answers_promoters: 3,
        dr_answers_detractors: 2,
        dr_reasons_promoters: 2,
        dr_reasons_detractors: 2,
        dr_comments_detractors: 2,
        rs_staff_promoters: 2,
        rs_price_detractors: 1,
        th_waiting_detractors: 2,
      }),
      driverCountsOfItem({ dr_answers_detractors: 1, rs_price_detractors: 1, rs_delivery_detractors: 1 }),
    );
    const figures = driversFiguresOf(counts);
    expect(figures).toMatchObject({ answers: 6, withReasons: 4, withComments: 2 });
    expect(figures.reasons.map(({ reason, mentions }) => [reason, mentions])).toEqual([
      ['staff', 2],
      ['price', 2],
      ['delivery', 1],
      ['product', 0],
      ['website', 0],
      ['other', 0],
    ]);
    const price = figures.reasons.find(({ reason }) => reason === 'price');
    expect(price).toMatchObject({
      detractors: 2,
      nps: -100,
      shareOfCategory: { detractors: 2 / 3, promoters: 0 },
    });
    expect(figures.themes[0]).toMatchObject({
      theme: 'waiting',
      mentions: 2,
      shareOfCategory: { detractors: 1 },
    });
  });

  it('is all zeros and nulls with no aggregate', () => {
    const figures = driversFiguresOf(noDriverCounts);
    expect(figures).toMatchObject({ answers: 0, withReasons: 0, withComments: 0 });
    expect(figures.reasons.every(({ mentions, nps }) => mentions === 0 && nps === null)).toBe(true);
    expect(figures.themes).toHaveLength(12);
  });
});

const example = (surveyId: string, at: string): ThemeExample => ({
  surveyId,
  score: 3,
  comment: `comment ${surveyId}`,
  at,
  day: at.slice(0, 10),
});

describe('withExample', () => {
  it('keeps the five latest examples of each theme', () => {
    let examples = {};
    const days = ['2026-11-05', '2026-11-01', '2026-11-09', '2026-11-03', '2026-11-07', '2026-11-08'];
    for (const [index, day] of days.entries()) {
      examples = withExample(examples, `sv-${index}`, example(`sv-${index}`, `${day}T10:00:00Z`), [
        'waiting',
      ]);
    }
    expect(examples).toEqual({
      waiting: [
        example('sv-2', '2026-11-09T10:00:00Z'),
        example('sv-5', '2026-11-08T10:00:00Z'),
        example('sv-4', '2026-11-07T10:00:00Z'),
        example('sv-0', '2026-11-05T10:00:00Z'),
        example('sv-3', '2026-11-03T10:00:00Z'),
      ],
    });
  });

  it('moves a survey’s example to its new themes, and drops it when its answer has none', () => {
    const first = withExample({}, 'sv-1', example('sv-1', '2026-11-02T10:00:00Z'), [
      'waiting',
      'price-value',
    ]);
    const moved = withExample(first, 'sv-1', example('sv-1', '2026-11-02T11:00:00Z'), ['delivery']);
    expect(moved).toEqual({ delivery: [example('sv-1', '2026-11-02T11:00:00Z')] });
    expect(withExample(moved, 'sv-1', undefined, [])).toEqual({});
    expect(withExample(moved, 'sv-1', example('sv-1', '2026-11-02T11:00:00Z'), ['delivery'])).toEqual(moved);
  });
});

describe('mergeExamples', () => {
  it('keeps the latest three per theme of several stores and months, within the days asked', () => {
    const a = { waiting: [example('a1', '2026-11-20T10:00:00Z'), example('a2', '2026-11-02T10:00:00Z')] };
    const b = {
      waiting: [example('b1', '2026-12-01T10:00:00Z'), example('b2', '2026-11-10T10:00:00Z')],
      delivery: [example('b3', '2026-10-31T10:00:00Z')],
    };
    expect(mergeExamples([a, b], '2026-11-01', '2026-11-30')).toEqual({
      waiting: [
        example('a1', '2026-11-20T10:00:00Z'),
        example('b2', '2026-11-10T10:00:00Z'),
        example('a2', '2026-11-02T10:00:00Z'),
      ],
    });
  });
});

describe('exampleText', () => {
  it('keeps a short comment, and cuts a long one with an ellipsis at the limit', () => {
    expect(exampleText('  Slow checkout  ')).toBe('Slow checkout');
    const long = exampleText('é'.repeat(400));
    expect([...long]).toHaveLength(EXAMPLE_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });
});
