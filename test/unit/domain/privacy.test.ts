import { describe, expect, it } from 'vitest';
import { answerKeyOf } from '../../../functions/domain/answer-trust';
import { isErasedCase, jsonSafe, pendingWork, type SurveyProgress } from '../../../functions/domain/privacy';

const answeredAt = '2027-01-10T10:00:00.000Z';
const changedAt = '2027-01-10T10:02:00.000Z';
const firstAnswer = { score: 3, at: answeredAt, reasons: [] };
const changedAnswer = { score: 2, at: changedAt, reasons: [] };
const detractor: SurveyProgress = {
  surveyId: 'sv1',
  answer: firstAnswer,
  counted: { score: 3 },
  followUpQueuedAt: answeredAt,
  followUpAnswerKey: answerKeyOf(firstAnswer),
};
const openCase = { answeredAt, noteKeys: new Set<string>() };

describe('pendingWork', () => {
  it('finds nothing pending for an unanswered survey or a counted promoter', () => {
    expect(pendingWork({ surveyId: 'sv1' }, undefined)).toBeUndefined();
    expect(
      pendingWork(
        { surveyId: 'sv1', answer: { score: 10, at: answeredAt, reasons: [] }, counted: { score: 10 } },
        undefined,
      ),
    ).toBeUndefined();
  });

  it('finds nothing pending for a detractor whose case shows the latest answer', () => {
    expect(pendingWork(detractor, openCase)).toBeUndefined();
    const changed = { ...detractor, answer: changedAnswer, followUpAnswerKey: answerKeyOf(changedAnswer) };
    expect(pendingWork(changed, { answeredAt, noteKeys: new Set([`answer:${changedAt}`]) })).toBeUndefined();
  });

  it('waits for an answer that is not counted yet', () => {
    expect(pendingWork({ ...detractor, countShard: '4' }, openCase)).toBe(
      'survey sv1: its answer is not counted yet',
    );
  });

  it('waits for a counted detractor whose follow-up is not queued yet', () => {
    expect(pendingWork({ ...detractor, followUpQueuedAt: undefined }, undefined)).toMatch(/being queued/);
  });

  it('waits for a detractor whose case is not open yet', () => {
    expect(pendingWork(detractor, undefined)).toMatch(/case is not open yet/);
  });

  it('waits for a changed answer on its way to the case', () => {
    const changed = { ...detractor, answer: changedAnswer };
    expect(pendingWork(changed, openCase)).toMatch(/being passed on/);
    expect(pendingWork({ ...changed, followUpAnswerKey: answerKeyOf(changedAnswer) }, openCase)).toMatch(
      /not reached the follow-up case/,
    );
  });
});

describe('isErasedCase', () => {
  const erased = {
    customerId: 'erased',
    customer: { name: '', email: '', attributes: {} },
    notes: [{ text: '[erased]' }],
  };

  it('recognises a case with nothing left about its customer', () => {
    expect(isErasedCase(erased)).toBe(true);
  });

  it('does not take a case with a comment, a name or a note left for erased', () => {
    expect(isErasedCase({ ...erased, comment: 'slow' })).toBe(false);
    expect(isErasedCase({ ...erased, customer: { ...erased.customer, name: 'Ada' } })).toBe(false);
    expect(isErasedCase({ ...erased, notes: [...erased.notes, { text: 'called her' }] })).toBe(false);
    expect(isErasedCase({ ...erased, customerId: 'C1' })).toBe(false);
  });
});

describe('jsonSafe', () => {
  it('turns sets, however deep, into sorted arrays and keeps everything else', () => {
    expect(jsonSafe({ a: new Set(['b', 'a']), n: [{ s: new Set([2, 1]) }], x: 1, y: null })).toEqual({
      a: ['a', 'b'],
      n: [{ s: [1, 2] }],
      x: 1,
      y: null,
    });
  });
});
