import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../cli/commands/report';
import { buildReport } from '../../../functions/use-cases/report';
import { createAggregateTable } from '../../support/in-memory-aggregates';
import { aStore, createStoreTable } from '../../support/in-memory-stores';

describe('formatReport drivers section', () => {
  it('lists each reason and theme named with its category shares and NPS, and the example comments', async () => {
    const aggregates = createAggregateTable();
    aggregates.add('S1', '2026-11-05', {
      dr_answers_promoters: 4,
      dr_answers_detractors: 1,
      dr_reasons_promoters: 1,
      dr_reasons_detractors: 1,
      dr_comments_detractors: 1,
      rs_delivery_promoters: 1,
      rs_delivery_detractors: 1,
      th_waiting_detractors: 1,
    });
    aggregates.items.set('store#S1|month#2026-11', {
      ...aggregates.items.get('store#S1|month#2026-11'),
      themeExamples: {
        waiting: [
          {
            surveyId: 'sv-1',
            score: 2,
            comment: 'Queue\nforever',
            at: '2026-11-05T10:00:00Z',
            day: '2026-11-05',
          },
        ],
      },
    });
    const report = await buildReport(
      { aggregates: aggregates.repository, stores: createStoreTable(aStore()).repository },
      { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' },
      { from: '2026-11-01', to: '2026-11-30', by: 'month' },
    );

    const lines = formatReport(report).split('\n');
    expect(lines).toContain('Drivers: 5 answers counted, 2 with reasons picked, 1 with a comment.');
    // Delivery: 1 promoter and 1 detractor: NPS 0; n' = 5, p' = d' = 1.75/5, ±1.96·√(0.7/5)·100 = 73.3.
    expect(lines.find((line) => line.startsWith('delivery'))?.split(/ {2,}/)).toEqual([
      'delivery',
      '2',
      '50%/0%/50%',
      '0.0 ±73.3 *',
      '25%',
      '–',
      '100%',
    ]);
    expect(lines.find((line) => line.startsWith('waiting'))).toMatch(/^waiting +1 +0%\/0%\/100% +-100\.0 ±/);
    expect(lines).toContain('  waiting: “Queue forever” (2, 2026-11-05)');
  });
});
