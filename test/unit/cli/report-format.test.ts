import { describe, expect, it } from 'vitest';
import { formatChange, formatReport } from '../../../cli/commands/report';
import { buildReport } from '../../../functions/use-cases/report';
import { createAggregateTable } from '../../support/in-memory-aggregates';
import { aStore, createStoreTable } from '../../support/in-memory-stores';

describe('formatChange', () => {
  it('marks only significant moves, up or down, and shows noise as a bare difference', () => {
    expect(formatChange({ difference: 12, z: 2.5, significant: true })).toBe('+12.0 ▲');
    expect(formatChange({ difference: -9, z: -2.1, significant: true })).toBe('-9.0 ▼');
    expect(formatChange({ difference: 15, z: 1.2, significant: false })).toBe('+15.0');
    expect(formatChange(null)).toBe('–');
  });
});

describe('formatReport', () => {
  it('shows the change per period, the store against the rest and the responses needed, with a legend', async () => {
    const aggregates = createAggregateTable();
    aggregates.add('S1', '2026-10-05', { invited: 40, passives: 2, detractors: 18 });
    aggregates.add('S1', '2026-11-05', { invited: 20, promoters: 6, passives: 2, detractors: 2 });
    aggregates.add('S2', '2026-11-05', { invited: 10, promoters: 1, detractors: 3 });
    const report = await buildReport(
      {
        aggregates: aggregates.repository,
        stores: createStoreTable(aStore(), aStore({ storeId: 'S2', name: 'Boston' })).repository,
      },
      { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' },
      { from: '2026-10-01', to: '2026-11-30', by: 'month' },
    );

    const lines = formatReport(report).split('\n');
    expect(lines.find((line) => line.startsWith('by month'))).toMatch(/vs previous$/);
    // October 0/2/18 (NPS −90) to November 7/2/5 (NPS 14.3): a significant rise.
    expect(lines.find((line) => line.startsWith('2026-10'))).toMatch(/ –$/);
    expect(lines.find((line) => line.startsWith('2026-11'))).toMatch(/\+104\.3 ▲$/);
    expect(lines.find((line) => line.startsWith('store'))).toMatch(/vs rest +more for ±10$/);
    // Lyon 6/4/20 against Boston 1/0/3: within noise; 218 more responses, at 30/60 = 50%, 436 invitations.
    expect(lines.find((line) => line.startsWith('S1'))).toMatch(/\+3\.3 {2}218 \(≈436 inv\.\)$/);
    expect(lines).toContain(
      '▲ / ▼: significant rise or fall at 95% (adjusted-Wald z test); a difference without an arrow is noise. vs rest: the store against the rest of the chain.',
    );
  });
});

describe('formatReport: win-back', () => {
  it('shows each group’s won-back share with its interval and the difference, marked when significant', async () => {
    const aggregates = createAggregateTable();
    aggregates.add('S1', '2026-11-05', {
      wbCalledPromoters: 5,
      wbCalledPassives: 3,
      wbCalledDetractors: 2,
      wbNotReachedPassives: 3,
      wbNotReachedDetractors: 7,
    });
    const report = await buildReport(
      {
        aggregates: aggregates.repository,
        stores: createStoreTable(aStore(), aStore({ storeId: 'S2', name: 'Boston' })).repository,
      },
      { kind: 'all-stores', user: 'mia@example.com', sub: 'sub-mia', role: 'marketing' },
      { from: '2026-11-01', to: '2026-11-30', by: 'month' },
    );

    const lines = formatReport(report).split('\n');
    const header = lines.findIndex((line) => line.startsWith('win-back'));
    expect(lines[header]).toMatch(/^win-back +called +not reached +difference$/);
    // 8 of 10 (Agresti–Coull 48–95%) against 3 of 10 (10–61%): +50 points, significant (z 2.25).
    expect(lines[header + 1]).toMatch(
      /^overall +8\/10 80% \(48–95%\) \* +3\/10 30% \(10–61%\) \* +\+50 pts ▲$/,
    );
    expect(lines[header + 2]).toMatch(/^S1 /);
    expect(lines[header + 3]).toBe(''); // Boston had no win-back answers: no row
  });
});
