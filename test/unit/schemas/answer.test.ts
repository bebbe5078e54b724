import { describe, expect, it } from 'vitest';
import { AnswerInput } from '../../../functions/schemas/answer';
import { describeIssues } from '../../../functions/schemas/common';

const issues = (input: unknown) => {
  const result = AnswerInput.safeParse(input);
  return result.success ? [] : describeIssues(result.error.issues);
};

describe('AnswerInput', () => {
  it('takes a score from a form field or JSON, with defaults', () => {
    expect(AnswerInput.parse({ score: ' 7 ' })).toEqual({ score: 7, reasons: [], source: 'form' });
    expect(AnswerInput.parse({ score: 0, comment: '  ', reasons: ['staff'], source: 'auto' })).toEqual({
      score: 0,
      reasons: ['staff'],
      source: 'auto',
    });
  });

  it('keeps a comment as written, trimmed', () => {
    expect(AnswerInput.parse({ score: 3, comment: ' <b>rude</b> & slow ' }).comment).toBe(
      '<b>rude</b> & slow',
    );
  });

  it.each([
    [{ score: 11 }, 'score: must be from 0 to 10'],
    [{ score: -1 }, 'score: must be from 0 to 10'],
    [{ score: 6.5 }, 'score: must be a whole number from 0 to 10'],
    [{ score: 'ten' }, 'score: must be a whole number from 0 to 10'],
    [{}, 'score: Invalid input'],
  ])('rejects %j', (input, message) => {
    expect(issues(input)).toContain(message);
  });
});
