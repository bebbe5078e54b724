/**
 * The dashboard's script. Like the managers' page, the page holds no data itself: the reader signs in
 * (`sign-in.ts`, the same sign-in as the managers' page, so one serves both pages), then the script calls `GET /r/dashboard` and draws the charts with uPlot, which the page inlines
 * just before this script (the global `uPlot`). Every chart has a text summary (its aria-label) and
 * its figures in a table, and everything from the API is set with textContent, so comments can never
 * become markup. Marketing and admins (who see all stores) also get the "Export a segment" panel: it
 * starts `POST /r/exports` for the store and period shown, then polls the job every second until its
 * download link is ready or it failed.
 */
import type UPlot from 'uplot';
import { categoryOf, MIN_RESPONSES_FOR_CONFIDENCE, type NpsCategory } from '../domain/nps';
import { defaultReportRange } from '../domain/report';
import type {
  BenchmarkComparison,
  DashboardData,
  LatestComment,
  NpsChange,
  NpsFigures,
  Report,
  SampleNeeded,
  StoreFigures,
} from '../schemas/report';
import { $ } from './dom';
import { renderDriversPanel } from './drivers-panel';
import { renderFollowUpPanel } from './follow-up-panel';
import { signedIn, signedInFetch, signOut } from './sign-in';
import { renderWinBackPanel } from './win-back-panel';

/** uPlot's browser build, inlined in the page before this script. */
declare const uPlot: typeof UPlot;

/** The figures an NPS is shown from. */
type Nps = Pick<NpsFigures, 'nps' | 'marginOfError' | 'lowConfidence'>;

const colour = {
  detractor: '#b91c1c',
  passive: '#b45309',
  promoter: '#15803d',
  line: '#1d4ed8',
  band: 'rgba(96,165,250,0.3)',
  low: '#71717a',
  axis: '#3f3f46',
  grid: '#e4e4e7',
};
const none = '\u2013';
const charts: UPlot[] = [];
const storeNames = new Map<string, string>();
/** The store and period the dashboard shows: what an export is for. */
let shown = new URLSearchParams();
const show = (message: string, error?: boolean) => {
  $('status').textContent = message;
  $('status').className = error ? 'status error' : 'status';
};
const el = <Tag extends keyof HTMLElementTagNameMap>(tag: Tag, text?: string, className?: string) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};
const cell = (row: HTMLTableRowElement, text: string, className?: string) => {
  const td = el('td', text, className);
  row.append(td);
  return td;
};
const rowHeader = (text: string) => {
  const th = el('th', text);
  th.scope = 'row';
  return th;
};
const whole = (value: number) => String(Math.round(value)).replace('-', '\u2212');
const npsText = (f: Nps) =>
  f.nps === null ? none : `${whole(f.nps)} \u00b1 ${Math.round(f.marginOfError as number)}`;
const percent = (rate: number | null) => (rate === null ? none : `${Math.round(rate * 100)}%`);
const fewResponses = `fewer than ${MIN_RESPONSES_FOR_CONFIDENCE} responses`;
/** NPS ± margin into a cell or tile; a figure from fewer than 30 responses is greyed, with a note. */
const putNps = (node: HTMLElement, f: Nps) => {
  node.replaceChildren(el('span', npsText(f), 'figure'));
  node.classList.toggle('low', f.nps !== null && f.lowConfidence);
  if (f.nps !== null && f.lowConfidence) node.append(el('span', fewResponses, 'note'));
};
/** A significant move in words, with its arrow (`▲ up 12 points`); nothing for noise or no comparison. */
const moveText = (change: NpsChange | null, up: string, down: string) =>
  change?.significant
    ? `${change.z > 0 ? '\u25b2' : '\u25bc'} ${whole(Math.abs(change.difference))} points ${change.z > 0 ? up : down}`
    : '';
const putMove = (node: HTMLElement, change: NpsChange | null, up: string, down: string) => {
  const text = moveText(change, up, down);
  if (text !== '') node.append(el('span', text, `move ${change && change.z > 0 ? 'up' : 'down'}`));
};
const sampleText = ({ moreResponses, moreInvitations, targetMargin }: SampleNeeded) =>
  moreResponses === 0
    ? `\u00b1${targetMargin} reached`
    : `${moreResponses} more responses${moreInvitations === null ? '' : ` (about ${moreInvitations} invitations)`}`;
const range = defaultReportRange(new Date());
$<HTMLInputElement>('to').value = range.to;
$<HTMLInputElement>('from').value = range.from;

const widthOf = (node: HTMLElement) => Math.max(280, node.clientWidth);
const draw = (id: string, options: Omit<UPlot.Options, 'width'>, data: UPlot.AlignedData) => {
  const node = $(id);
  const chart = new uPlot(
    { width: widthOf(node), legend: { show: false }, cursor: { show: false }, ...options },
    data,
    node,
  );
  charts.push(chart);
};
const axis = (extra: UPlot.Axis): UPlot.Axis => ({
  stroke: colour.axis,
  grid: { stroke: colour.grid, width: 1 },
  ticks: { stroke: colour.grid },
  ...extra,
});
addEventListener('resize', () => {
  for (const chart of charts) {
    chart.setSize({ width: widthOf(chart.root.parentNode as HTMLElement), height: chart.height });
  }
});

const trend = (report: Report) => {
  const periods = report.periods;
  const label = (index: number) => (Number.isInteger(index) && periods[index] ? periods[index].period : '');
  const valued = periods.filter((p) => p.nps !== null);
  const valuedNps = valued.map((p) => p.nps as number);
  const last = valued[valued.length - 1];
  const moves = periods
    .filter((p) => p.change?.significant)
    .map((p) => `${p.period} ${moveText(p.change, 'up', 'down')}`);
  $('trend-chart').setAttribute(
    'aria-label',
    last === undefined
      ? `NPS trend by ${report.by} from ${report.from} to ${report.to}: no responses.`
      : `NPS trend by ${report.by} from ${report.from} to ${report.to}, ${periods.length} periods: lowest ${whole(Math.min(...valuedNps))}, highest ${whole(Math.max(...valuedNps))}, latest ${npsText(last)} in ${last.period} (${last.responses} responses). ${moves.length === 0 ? 'No significant move.' : `Significant moves: ${moves.join(', ')}.`}`,
  );
  draw(
    'trend-chart',
    {
      height: 280,
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        y: {
          range: (_u, min, max) =>
            min === null || max === null
              ? [-100, 100]
              : [
                  Math.max(-100, Math.floor(min / 10) * 10 - 10),
                  Math.min(100, Math.ceil(max / 10) * 10 + 10),
                ],
        },
      },
      axes: [
        axis({
          values: (_u, splits) => splits.map(label),
          incrs: [1, 2, 3, 4, 6, 12, 13, 26, 52, 91, 182, 365],
          space: 80,
        }),
        axis({ label: 'NPS' }),
      ],
      // The band first, so the line and its points are drawn over it.
      series: [
        {},
        { label: 'NPS plus margin', stroke: 'transparent', points: { show: false } },
        { label: 'NPS minus margin', stroke: 'transparent', points: { show: false } },
        {
          label: 'NPS',
          stroke: colour.line,
          width: 2,
          spanGaps: true,
          points: { show: true, size: 6, fill: colour.line },
        },
        {
          label: `Fewer than ${MIN_RESPONSES_FOR_CONFIDENCE} responses`,
          stroke: colour.low,
          paths: () => null,
          points: { show: true, size: 10, width: 2, fill: '#ffffff', stroke: colour.low },
        },
      ],
      bands: [{ series: [1, 2], fill: colour.band }],
    },
    [
      periods.map((_, index) => index),
      periods.map((p) => (p.nps === null ? null : p.nps + (p.marginOfError as number))),
      periods.map((p) => (p.nps === null ? null : p.nps - (p.marginOfError as number))),
      periods.map((p) => p.nps),
      periods.map((p) => (p.nps !== null && p.lowConfidence ? p.nps : null)),
    ],
  );
  const rows = $('trend-rows');
  rows.replaceChildren();
  for (const p of periods) {
    const row = el('tr');
    row.append(rowHeader(p.period));
    putNps(cell(row, ''), p);
    cell(row, String(p.responses));
    cell(row, percent(p.responseRate));
    putMove(cell(row, ''), p.change, 'up', 'down');
    rows.append(row);
  }
};

const distribution = (overall: NpsFigures) => {
  const counts = overall.histogram;
  /** The answers of one category, by the domain's own score boundaries. */
  const answers = (category: NpsCategory) =>
    counts.reduce((total, count, score) => (categoryOf(score) === category ? total + count : total), 0);
  $('distribution-chart').setAttribute(
    'aria-label',
    `Scores from 0 to 10, ${overall.responses} responses: ${answers('detractor')} detractors (0 to 6), ${answers('passive')} passives (7 and 8), ${answers('promoter')} promoters (9 and 10). Per score: ${counts.map((count, score) => `${score}: ${count}`).join(', ')}.`,
  );
  const fills = counts.map((_, score) => colour[categoryOf(score)]);
  draw(
    'distribution-chart',
    {
      height: 240,
      scales: {
        x: { time: false, range: [-0.6, 10.6] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max || 0) * 1.1] },
      },
      axes: [
        axis({
          values: (_u, splits) => splits.map((score) => (Number.isInteger(score) ? String(score) : '')),
          incrs: [1],
          space: 16,
          grid: { show: false },
        }),
        axis({ label: 'Answers' }),
      ],
      series: [
        {},
        {
          label: 'Answers',
          width: 0,
          fill: colour.promoter,
          points: { show: false },
          // uPlot's browser build always has the bars path builder (optional in its types).
          paths: (uPlot.paths.bars as NonNullable<typeof uPlot.paths.bars>)({
            size: [0.7, 64],
            disp: { fill: { unit: 3, values: () => fills } },
          }),
        },
      ],
    },
    [counts.map((_, score) => score), [...counts]],
  );
  const rows = $('distribution-rows');
  rows.replaceChildren();
  counts.forEach((count, score) => {
    const row = el('tr');
    row.append(rowHeader(String(score)));
    cell(row, categoryOf(score));
    cell(row, String(count));
    rows.append(row);
  });
};

const leaderboard = (stores: readonly StoreFigures[]) => {
  const rows = $('leaderboard-rows');
  rows.replaceChildren();
  stores.forEach((store, index) => {
    const row = el('tr');
    row.dataset.store = store.storeId;
    cell(row, store.nps === null ? none : String(index + 1));
    cell(row, store.name);
    putNps(cell(row, ''), store);
    cell(row, String(store.responses));
    cell(row, percent(store.responseRate));
    putMove(cell(row, ''), store.vsRest, 'above the rest', 'below the rest');
    cell(row, sampleText(store.sampleNeeded));
    rows.append(row);
  });
  $('no-stores').hidden = stores.length > 0;
};

const signedWhole = (value: number) => `${value > 0 ? '+' : ''}${whole(value)}`;
/** Each benchmark, our NPS beside it and the gap, marked only when significant; stores apart from a chain-wide one. */
const benchmarkPanel = (benchmarks: readonly BenchmarkComparison[], report: Report) => {
  const rows = $('benchmark-rows');
  rows.replaceChildren();
  for (const benchmark of benchmarks) {
    const store = report.stores.find((candidate) => candidate.storeId === benchmark.storeId);
    const row = el('tr');
    row.dataset.benchmark = benchmark.benchmarkId;
    row.append(rowHeader(benchmark.name));
    cell(row, benchmark.storeId === null ? 'All stores shown' : store?.name || benchmark.storeId);
    cell(row, `${whole(benchmark.value)} (${benchmark.date})`);
    cell(
      row,
      benchmark.sampleSize === null ? 'unknown: taken as exact' : `${benchmark.sampleSize} responses`,
    );
    putNps(cell(row, ''), store ?? report.overall);
    const gap = cell(row, benchmark.gap === null ? none : `${signedWhole(benchmark.gap.difference)} points`);
    if (benchmark.gap?.significant) {
      const above = benchmark.gap.z > 0;
      gap.append(
        ' ',
        el(
          'span',
          above ? '\u25b2 significantly above' : '\u25bc significantly below',
          `move ${above ? 'up' : 'down'}`,
        ),
      );
    }
    const apart = benchmark.stores.filter((candidate) => candidate.gap?.significant);
    cell(
      row,
      benchmark.storeId !== null
        ? ''
        : apart.length === 0
          ? 'none'
          : apart
              .map((candidate) => `${(candidate.gap?.z ?? 0) > 0 ? '\u25b2' : '\u25bc'} ${candidate.name}`)
              .join(', '),
    );
    rows.append(row);
  }
  $('no-benchmarks').hidden = benchmarks.length > 0;
};

const comments = (latest: readonly LatestComment[]) => {
  const list = $('comment-list');
  list.replaceChildren();
  for (const comment of latest) {
    const item = el('li');
    const head = el('p', undefined, 'meta');
    head.append(
      el('span', `${comment.score}/10`, `score ${categoryOf(comment.score)}`),
      ` ${storeNames.get(comment.storeId) || comment.storeId}, ${comment.at.slice(0, 10)}`,
    );
    item.append(head, el('p', comment.comment, 'comment'));
    list.append(item);
  }
  $('no-comments').hidden = latest.length > 0;
};

const render = ({ report, followUps, latestComments, viewer }: DashboardData, scoped: boolean) => {
  for (const store of report.stores) storeNames.set(store.storeId, store.name);
  if (!scoped) {
    const select = $<HTMLSelectElement>('store');
    const current = select.value;
    const all = el('option', viewer.sees === 'all-stores' ? 'All stores' : 'All my stores');
    all.value = '';
    select.replaceChildren(all);
    for (const store of report.stores) {
      const option = el('option', store.name);
      option.value = store.storeId;
      select.append(option);
    }
    select.value = report.stores.some((store) => store.storeId === current) ? current : '';
  }
  $('viewer').textContent =
    `Signed in as ${viewer.user}${viewer.sees === 'all-stores' ? ' (all stores).' : ' (your stores).'}`;
  putNps($('kpi-nps'), report.overall);
  $('kpi-responses').textContent = String(report.overall.responses);
  $('kpi-rate').textContent = percent(report.overall.responseRate);
  $('kpi-open').textContent = String(followUps.open);
  $('kpi-overdue').textContent = String(followUps.overdue);
  $('kpi-overdue').classList.toggle('alert', followUps.overdue > 0);
  $('kpi-scanners').textContent = String(report.overall.scannerAnswersDiscarded ?? 0);
  for (const chart of charts.splice(0)) chart.destroy();
  trend(report);
  distribution(report.overall);
  leaderboard(report.stores);
  benchmarkPanel(report.benchmarks ?? [], report);
  renderFollowUpPanel(report.followUp.overall);
  renderDriversPanel(report.drivers.overall);
  $('rest-scope').textContent =
    report.significance.rest === 'rest-of-chain'
      ? 'Each store is compared with the rest of the chain, without it.'
      : 'Each store is compared with your other stores, without it.';
  comments(latestComments);
  renderWinBackPanel(report.winBack);
};

const load = async () => {
  const query = new URLSearchParams({
    from: $<HTMLInputElement>('from').value,
    to: $<HTMLInputElement>('to').value,
    by: $<HTMLSelectElement>('by').value,
  });
  const store = $<HTMLSelectElement>('store');
  if (store.value) query.set('store', store.value);
  show('Loading\u2026');
  let response: Response;
  try {
    response = await signedInFetch(`/r/dashboard?${query}`);
  } catch {
    show('The dashboard could not be reached. Please try again.', true);
    return;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    show(body.message || `The dashboard could not be loaded (${response.status}).`, true);
    return;
  }
  $('dashboard').hidden = false;
  render(body, query.has('store'));
  const chosen = query.get('store');
  const scope =
    chosen !== null
      ? storeNames.get(chosen) || chosen
      : (store.options[0] as HTMLOptionElement).textContent.toLowerCase();
  show(`Showing ${body.report.from} to ${body.report.to} by ${body.report.by}, ${scope}.`);
  shown = query;
  $('export').hidden = body.viewer.sees !== 'all-stores';
  $('export-scope').textContent =
    `Customers of ${scope} who answered from ${body.report.from} to ${body.report.to} (change them with the filters above).`;
  document.body.dataset.ready = 'true';
};

/** Says how the export goes; an unchanged message is left alone, so a screen reader says it once. */
const exportStatus = (message: string, error?: boolean) => {
  if ($('export-status').textContent !== message) $('export-status').replaceChildren(message);
  $('export-status').className = error ? 'status error' : 'status';
};
const apiMessage = async (response: Response, fallback: string) =>
  ((await response.json().catch(() => ({}))) as { message?: string }).message ||
  `${fallback} (${response.status}).`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the job every second until it is ready (a download link) or failed (its reason). */
const followExport = async (statusUrl: string) => {
  for (;;) {
    await pause(1000);
    const response = await signedInFetch(statusUrl);
    if (!response.ok)
      return exportStatus(await apiMessage(response, 'The export could not be followed'), true);
    const job = (await response.json()) as { status: string; failure?: string; downloadUrl?: string };
    if (job.status === 'failed')
      return exportStatus(`Export failed: ${job.failure ?? 'no reason given'}`, true);
    if (job.status === 'ready' && job.downloadUrl !== undefined) {
      const link = el('a', 'Download');
      const url = new URL(job.downloadUrl, location.href);
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        return exportStatus('Export failed: bad link.', true);
      link.href = url.href;
      link.id = 'export-link';
      $('export-status').replaceChildren('Ready: ', link);
      $('export-status').className = 'status';
      return;
    }
    exportStatus(job.status === 'queued' ? 'Export queued\u2026' : 'Exporting\u2026');
  }
};

$('export-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = $<HTMLButtonElement>('export-form').querySelector('button') as HTMLButtonElement;
  const store = shown.get('store');
  const request = {
    segment: $<HTMLSelectElement>('export-segment').value,
    format: $<HTMLSelectElement>('export-format').value,
    from: shown.get('from'),
    to: shown.get('to'),
    ...(store !== null && { stores: [store] }),
  };
  button.disabled = true;
  exportStatus('Starting the export\u2026');
  try {
    const response = await signedInFetch('/r/exports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok)
      return exportStatus(await apiMessage(response, 'The export could not be started'), true);
    const job = (await response.json()) as { statusUrl: string };
    exportStatus('Export queued\u2026');
    await followExport(job.statusUrl);
  } catch {
    exportStatus('The export service could not be reached. Please try again.', true);
  } finally {
    button.disabled = false;
  }
});

$('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  delete document.body.dataset.ready;
  load();
});
$('signout').addEventListener('click', () => void signOut());
signedIn().then(load, (error: Error) => show(error.message, true));
