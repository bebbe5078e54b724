import type { NpsChange, NpsFigures, Report, SampleNeeded } from '../../functions/schemas/report';
import { formatBenchmarkSection } from './benchmarks';
import { formatDrivers } from './drivers-report';
import { followUpRows } from './follow-up-report';
import { winBackRows } from './win-back-report';

const signed = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(1)}`;

/** `+42.0 ±8.1`, `–` without responses, and a `*` on figures from fewer than 30 responses. */
export const formatNps = (figures: NpsFigures) =>
  figures.nps === null || figures.marginOfError === null
    ? '–'
    : `${signed(figures.nps)} ±${figures.marginOfError.toFixed(1)}${figures.lowConfidence ? ' *' : ''}`;

/** `+12.0 ▲` for a significant rise, `-9.0 ▼` for a significant fall, the bare difference for noise. */
export const formatChange = (change: NpsChange | null) =>
  change === null
    ? '–'
    : `${signed(change.difference)}${change.significant ? (change.z > 0 ? ' ▲' : ' ▼') : ''}`;

/** `232 (≈464 inv.)`, or `232` when the response rate is unknown, `0` once the margin is reached. */
const formatSample = (sample: SampleNeeded) =>
  `${sample.moreResponses}${sample.moreInvitations === null || sample.moreResponses === 0 ? '' : ` (≈${sample.moreInvitations} inv.)`}`;

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

const table = (header: readonly string[], rows: readonly (readonly string[])[]) => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
};

const columns = [
  'NPS ±95%',
  'responses',
  'promoters',
  'passives',
  'detractors',
  'invited',
  'response rate',
  'scanner answers',
];
const cells = (figures: NpsFigures) => [
  formatNps(figures),
  String(figures.responses),
  String(figures.promoters),
  String(figures.passives),
  String(figures.detractors),
  String(figures.invited),
  percent(figures.responseRate),
  String(figures.scannerAnswersDiscarded),
];

/** The report as text: overall, per period, per store, with the method and the low-sample flag explained. */
export const formatReport = (report: Report) => {
  const followUp = followUpRows(report.followUp);
  const winBack = winBackRows(report.winBack);
  return [
    `NPS ${report.from} to ${report.to}${report.scope === 'all' ? '' : ` (${report.scope.replace('store#', 'store ')})`}`,
    '',
    table(['', ...columns], [['overall', ...cells(report.overall)]]),
    '',
    table(
      [`by ${report.by}`, ...columns, 'vs previous'],
      report.periods.map((period) => [period.period, ...cells(period), formatChange(period.change)]),
    ),
    '',
    table(
      ['store', 'name', ...columns, 'vs rest', `more for ±${report.significance.targetMargin}`],
      report.stores.map((store) => [
        store.storeId,
        store.name,
        ...cells(store),
        formatChange(store.vsRest),
        formatSample(store.sampleNeeded),
      ]),
    ),
    '',
    '±: 95% margin of error (adjusted Wald). *: fewer than 30 responses, too few to compare.',
    'Response rate: responses ÷ invitations sent in the same period (reminders not counted).',
    'Scanner answers: automatic answers discarded as mail link scanners’ (counted nowhere else).',
    `▲ / ▼: significant rise or fall at 95% (adjusted-Wald z test); a difference without an arrow is noise. vs rest: the store against ${report.significance.rest === 'rest-of-chain' ? 'the rest of the chain' : 'your other stores'}.`,
    `more for ±${report.significance.targetMargin}: responses (and invitations at the store’s response rate) still needed for a ±${report.significance.targetMargin}-point margin.`,
    '',
    table(followUp.header, followUp.rows),
    '',
    ...followUp.notes,
    '',
    ...formatBenchmarkSection(report.benchmarks ?? []),
    formatDrivers(report.drivers),
    table(winBack.header, winBack.rows),
    '',
    ...winBack.notes,
    '',
    ...testimonialLines(report),
  ].join('\n');
};

/** Consented testimonials of the year against each store's target. */
const testimonialLines = ({ testimonials }: Report) =>
  testimonials === undefined
    ? []
    : [
        table(
          [`testimonials ${testimonials.year}`, 'name', 'consented', 'target', 'reached'],
          [
            ['overall', '', ...progressCells(testimonials.overall)],
            ...testimonials.stores.map((store) => [store.storeId, store.name, ...progressCells(store)]),
          ],
        ),
        '',
        `Testimonials: quotes whose consent to publish stands, by the year it was given; target ${testimonials.defaultTarget} a year for a store that names none.`,
        '',
      ];

const progressCells = (progress: { consented: number; target: number; percent: number }) => [
  String(progress.consented),
  String(progress.target),
  `${progress.percent.toFixed(0)}%`,
];
