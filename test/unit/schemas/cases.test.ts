import { describe, expect, it } from 'vitest';
import { comparePositions, listingOf, mergePage } from '../../../functions/domain/case-pages';
import { looksLikePhoneNumber, telUri } from '../../../functions/domain/phone';
import { CallInput, CaseListQuery, CaseRecord, CloseInput, NoteInput } from '../../../functions/schemas/case';
import { describeIssues } from '../../../functions/schemas/common';
import { CustomerProfile } from '../../../functions/schemas/customer';
import { StoreProfile } from '../../../functions/schemas/store';
import { anOpenCase } from '../../support/in-memory-cases';

const problems = (
  schema: { safeParse: (input: unknown) => { success: boolean; error?: unknown } },
  input: unknown,
) => {
  const result = schema.safeParse(input) as ReturnType<typeof CallInput.safeParse>;
  return result.success ? [] : describeIssues(result.error.issues);
};

describe('phone numbers', () => {
  it.each([
    ['+33612345678', true],
    ['+33 6 12 34 56 78', true],
    ['(617) 555-0134', true],
    ['06.12.34.56.78', true],
    ['12345', false],
    ['+1 234 567 890 123 456', false],
    ['call me', false],
    ['06 12 34 56 78 ext. 5', false],
    ['33+612345678', false],
  ])('takes %s as a phone number: %s', (text, expected) => {
    expect(looksLikePhoneNumber(text)).toBe(expected);
  });

  it('dials the digits, with the + kept', () => {
    expect(telUri('+33 6 12-34 (56) 78')).toBe('tel:+33612345678');
    expect(telUri('(617) 555-0134')).toBe('tel:6175550134');
  });

  it('keeps an optional phone with the customer, leniently, and says what is wrong', () => {
    const row = { customerId: 'C1', email: 'a@b.co', storeId: 'S1', locale: 'en', attributes: {} };
    expect(CustomerProfile.parse({ ...row, phone: ' +33  6 12 34 56 78 ' }).phone).toBe('+33 6 12 34 56 78');
    expect(CustomerProfile.parse({ ...row, phone: '' }).phone).toBeUndefined();
    expect(CustomerProfile.parse(row).phone).toBeUndefined();
    expect(problems(CustomerProfile, { ...row, phone: 'ask at the desk' })).toEqual([
      'phone: must be a phone number: digits with spaces, dots, hyphens or parentheses, + in front (e.g. +33 6 12 34 56 78)',
    ]);
  });
});

describe('a store’s language', () => {
  const store = { storeId: 'S1', name: 'Lyon', managerEmail: 'm@x.co', timezone: 'Europe/Paris' };
  it('is optional, one of the survey’s languages', () => {
    expect(StoreProfile.parse({ ...store, language: ' FR ' }).language).toBe('fr');
    expect(StoreProfile.parse({ ...store, language: '' }).language).toBeUndefined();
    expect(problems(StoreProfile, { ...store, language: 'de' })).toEqual([
      'language: must be one of en, fr, es',
    ]);
  });
});

describe('what a manager records', () => {
  it('takes a call with an outcome and a request key', () => {
    expect(
      CallInput.parse({ outcome: 'voicemail', note: ' Left a message ', requestId: 'abcd1234' }),
    ).toEqual({
      outcome: 'voicemail',
      note: 'Left a message',
      requestId: 'abcd1234',
    });
    expect(problems(CallInput, { outcome: 'busy', requestId: 'x' })).toEqual([
      'outcome: must be one of reached, voicemail, no-answer',
      'requestId: must be 8 to 64 letters, digits, - or _ (e.g. a random UUID)',
    ]);
  });

  it('needs a note to close a case as other', () => {
    expect(CloseInput.safeParse({ resolution: 'apology', requestId: 'abcd1234' }).success).toBe(true);
    expect(problems(CloseInput, { resolution: 'other', note: '  ', requestId: 'abcd1234' })).toEqual([
      'note: must not be empty',
    ]);
    expect(problems(CloseInput, { resolution: 'other', requestId: 'abcd1234' })).toEqual([
      'note: say in a note how the case was resolved when the resolution is other',
    ]);
    expect(problems(NoteInput, { requestId: 'abcd1234' })).toHaveLength(1);
  });

  it('lists what needs doing, 25 at a time, by default, and bounds the page size', () => {
    expect(CaseListQuery.parse({})).toEqual({ status: 'todo', limit: 25 });
    expect(CaseListQuery.parse({ status: 'closed', limit: '100', store: 'S1' })).toMatchObject({
      limit: 100,
    });
    expect(problems(CaseListQuery, { limit: '0' })).toEqual(['limit: must be at least 1']);
    expect(problems(CaseListQuery, { limit: '101' })).toEqual(['limit: must be at most 100']);
    expect(problems(CaseListQuery, { status: 'resolved' })).toEqual([
      'status: must be one of todo, open, contacted, closed, all',
    ]);
  });

  it('reads the closing statuses stored before calls were recorded as closed', () => {
    expect(CaseRecord.parse({ ...anOpenCase(), status: 'no-answer' }).status).toBe('closed');
    expect(CaseRecord.parse({ ...anOpenCase(), status: 'resolved', calls: undefined }).calls).toEqual([]);
  });
});

describe('mergePage', () => {
  const at = (dueAt: string, caseId: string) => ({ dueAt, caseId });

  it('takes the first cases of all streams in order and ends the page at the last one', () => {
    const streams = [
      [at('2026-11-01', 'a'), at('2026-11-04', 'd')],
      [at('2026-11-02', 'b'), at('2026-11-02', 'c')],
    ];
    expect(mergePage(streams, 'asc', 3)).toEqual({
      items: [at('2026-11-01', 'a'), at('2026-11-02', 'b'), at('2026-11-02', 'c')],
      next: at('2026-11-02', 'c'),
    });
    expect(mergePage(streams, 'asc', 4).next).toBeUndefined();
    expect(mergePage(streams, 'desc', 1).items).toEqual([at('2026-11-04', 'd')]);
  });

  it('orders by due time, then case id, either way', () => {
    expect(comparePositions('asc')(at('x', 'a'), at('x', 'b'))).toBeLessThan(0);
    expect(comparePositions('desc')(at('x', 'a'), at('x', 'b'))).toBeGreaterThan(0);
  });

  it('lists what needs doing soonest first, and the history latest first', () => {
    expect(listingOf('todo')).toEqual({ statuses: ['open', 'contacted'], order: 'asc' });
    expect(listingOf('closed')).toEqual({ statuses: ['closed'], order: 'desc' });
    expect(listingOf('all')).toEqual({ statuses: undefined, order: 'desc' });
  });
});
