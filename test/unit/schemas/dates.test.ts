import { describe, expect, it } from 'vitest';
import { ExportRequest } from '../../../functions/schemas/export';
import { ReportQuery } from '../../../functions/schemas/report';

describe('calendar days in queries', () => {
  it('takes real days, and refuses impossible ones rather than rolling them over', () => {
    expect(ReportQuery.safeParse({ from: '2028-02-29', to: '2028-03-31', by: 'month' }).success).toBe(true);
    for (const from of ['2026-02-30', '2026-13-01', '2026-04-31', '2026-1-01']) {
      const parsed = ReportQuery.safeParse({ from, to: '2026-12-31', by: 'month' });
      expect(parsed.success, from).toBe(false);
    }
    expect(ExportRequest.safeParse({ segment: 'promoters', from: '2027-02-29' }).success).toBe(false);
  });
});
