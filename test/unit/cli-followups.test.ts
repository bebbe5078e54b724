import { describe, expect, it } from 'vitest';
import { formatCases } from '../../cli/commands/followups';
import type { CaseRecord } from '../../functions/schemas/case';

const base: CaseRecord = {
  caseId: 'case-1',
  surveyId: 'case-1',
  customerId: 'C1',
  storeId: 'S1',
  status: 'open',
  score: 3,
  reasons: [],
  customer: { name: 'Ada Byron', email: 'ada@example.com', locale: 'en', attributes: {} },
  previousScores: [],
  owner: 'm@example.com',
  ownerRole: 'store-manager',
  answeredAt: '2026-11-23T09:00:00.000Z',
  openedAt: '2026-11-23T09:00:01.000Z',
  dueAt: '2026-11-24T09:00:00.000Z',
  notes: [],
  calls: [],
  updatedAt: '2026-11-23T09:00:01.000Z',
};

describe('formatCases', () => {
  it('flags open cases past their due time as overdue, and counts them', () => {
    const text = formatCases(
      [base, { ...base, caseId: 'case-2', status: 'contacted', dueAt: '2026-11-24T08:00:00.000Z' }],
      new Date('2026-11-24T10:00:00.000Z'),
    );
    const [header, first, second] = text.split('\n');
    expect(header).toMatch(/STATUS\s+STORE\s+SCORE/);
    expect(first).toMatch(/^OVERDUE\s+open\s+S1\s+3\/10\s+Ada Byron/);
    expect(second).not.toContain('OVERDUE');
    expect(text).toContain('2 cases, 1 overdue.');
  });

  it('says so when there are no cases', () => {
    expect(formatCases([], new Date())).toBe('No follow-up cases.\n');
  });
});
