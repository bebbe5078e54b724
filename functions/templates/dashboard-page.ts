import { page } from './pages';
import { uPlotScript, uPlotStyles } from './vendor-assets';

/**
 * The NPS dashboard: like the managers' page it holds no data itself. The reader signs in with a
 * token (the same one, kept under the same sessionStorage key, so one sign-in serves both pages);
 * the script then calls `GET /r/dashboard` and draws the charts with uPlot, inlined in the page's one
 * nonce'd script. Every chart has a text summary (its aria-label) and its figures in a table, and
 * everything from the API is set with textContent, so comments can never become markup.
 */
const script = `(() => {
  const $ = (id) => document.getElementById(id);
  const tokenKey = 'closeloop-manager-token';
  const colour = { detractor: '#b91c1c', passive: '#b45309', promoter: '#15803d', line: '#1d4ed8', band: 'rgba(96,165,250,0.3)', low: '#71717a', axis: '#3f3f46', grid: '#e4e4e7' };
  const none = '\\u2013';
  const charts = [];
  const storeNames = new Map();
  const show = (message, error) => { $('status').textContent = message; $('status').className = error ? 'status error' : 'status'; };
  const el = (tag, text, className) => { const node = document.createElement(tag); if (text !== undefined) node.textContent = text; if (className) node.className = className; return node; };
  const cell = (row, text, className) => { const td = el('td', text, className); row.append(td); return td; };
  const whole = (value) => String(Math.round(value)).replace('-', '\\u2212');
  const npsText = (f) => (f.nps === null ? none : whole(f.nps) + ' \\u00b1 ' + Math.round(f.marginOfError));
  const percent = (rate) => (rate === null ? none : Math.round(rate * 100) + '%');
  const categoryOf = (score) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');
  /** NPS ± margin into a cell or tile; a figure from fewer than 30 responses is greyed, with a note. */
  const putNps = (node, f) => {
    node.replaceChildren(el('span', npsText(f), 'figure'));
    node.classList.toggle('low', f.nps !== null && f.lowConfidence);
    if (f.nps !== null && f.lowConfidence) node.append(el('span', 'fewer than 30 responses', 'note'));
  };
  const iso = (date) => date.toISOString().slice(0, 10);
  const today = new Date();
  $('to').value = iso(today);
  $('from').value = iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1)));

  const widthOf = (node) => Math.max(280, node.clientWidth);
  const draw = (id, options, data) => {
    const node = $(id);
    const chart = new uPlot({ width: widthOf(node), legend: { show: false }, cursor: { show: false }, ...options }, data, node);
    charts.push(chart);
  };
  const axis = (extra) => ({ stroke: colour.axis, grid: { stroke: colour.grid, width: 1 }, ticks: { stroke: colour.grid }, ...extra });
  addEventListener('resize', () => { for (const chart of charts) chart.setSize({ width: widthOf(chart.root.parentNode), height: chart.height }); });

  const trend = (report) => {
    const periods = report.periods;
    const label = (index) => (Number.isInteger(index) && periods[index] ? periods[index].period : '');
    const valued = periods.filter((p) => p.nps !== null);
    const last = valued[valued.length - 1];
    $('trend-chart').setAttribute('aria-label', valued.length === 0
      ? 'NPS trend by ' + report.by + ' from ' + report.from + ' to ' + report.to + ': no responses.'
      : 'NPS trend by ' + report.by + ' from ' + report.from + ' to ' + report.to + ', ' + periods.length + ' periods: lowest ' + whole(Math.min(...valued.map((p) => p.nps))) + ', highest ' + whole(Math.max(...valued.map((p) => p.nps))) + ', latest ' + npsText(last) + ' in ' + last.period + ' (' + last.responses + ' responses).');
    draw('trend-chart', {
      height: 280,
      scales: {
        x: { time: false, range: (u, min, max) => [min - 0.5, max + 0.5] },
        y: { range: (u, min, max) => (min === null || max === null ? [-100, 100] : [Math.max(-100, Math.floor(min / 10) * 10 - 10), Math.min(100, Math.ceil(max / 10) * 10 + 10)]) },
      },
      axes: [axis({ values: (u, splits) => splits.map(label), incrs: [1, 2, 3, 4, 6, 12, 13, 26, 52, 91, 182, 365], space: 80 }), axis({ label: 'NPS' })],
      // The band first, so the line and its points are drawn over it.
      series: [
        {},
        { label: 'NPS plus margin', stroke: 'transparent', points: { show: false } },
        { label: 'NPS minus margin', stroke: 'transparent', points: { show: false } },
        { label: 'NPS', stroke: colour.line, width: 2, spanGaps: true, points: { show: true, size: 6, fill: colour.line } },
        { label: 'Fewer than 30 responses', stroke: colour.low, paths: () => null, points: { show: true, size: 10, width: 2, fill: '#ffffff', stroke: colour.low } },
      ],
      bands: [{ series: [1, 2], fill: colour.band }],
    }, [
      periods.map((_, index) => index),
      periods.map((p) => (p.nps === null ? null : p.nps + p.marginOfError)),
      periods.map((p) => (p.nps === null ? null : p.nps - p.marginOfError)),
      periods.map((p) => p.nps),
      periods.map((p) => (p.nps !== null && p.lowConfidence ? p.nps : null)),
    ]);
    const rows = $('trend-rows');
    rows.replaceChildren();
    for (const p of periods) {
      const row = el('tr');
      row.append(el('th', p.period));
      row.firstChild.scope = 'row';
      putNps(cell(row, ''), p);
      cell(row, String(p.responses));
      cell(row, percent(p.responseRate));
      rows.append(row);
    }
  };

  const distribution = (overall) => {
    const counts = overall.histogram;
    const sum = (from, to) => counts.slice(from, to + 1).reduce((total, count) => total + count, 0);
    $('distribution-chart').setAttribute('aria-label', 'Scores from 0 to 10, ' + overall.responses + ' responses: ' + sum(0, 6) + ' detractors (0 to 6), ' + sum(7, 8) + ' passives (7 and 8), ' + sum(9, 10) + ' promoters (9 and 10). Per score: ' + counts.map((count, score) => score + ': ' + count).join(', ') + '.');
    const fills = counts.map((_, score) => colour[categoryOf(score)]);
    draw('distribution-chart', {
      height: 240,
      scales: { x: { time: false, range: [-0.6, 10.6] }, y: { range: (u, min, max) => [0, Math.max(1, max || 0) * 1.1] } },
      axes: [axis({ values: (u, splits) => splits.map((score) => (Number.isInteger(score) ? String(score) : '')), incrs: [1], space: 16, grid: { show: false } }), axis({ label: 'Answers' })],
      series: [{}, { label: 'Answers', width: 0, fill: colour.promoter, points: { show: false }, paths: uPlot.paths.bars({ size: [0.7, 64], disp: { fill: { unit: 3, values: () => fills } } }) }],
    }, [counts.map((_, score) => score), [...counts]]);
    const rows = $('distribution-rows');
    rows.replaceChildren();
    counts.forEach((count, score) => {
      const row = el('tr');
      row.append(el('th', String(score)));
      row.firstChild.scope = 'row';
      cell(row, categoryOf(score));
      cell(row, String(count));
      rows.append(row);
    });
  };

  const leaderboard = (stores) => {
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
      rows.append(row);
    });
    $('no-stores').hidden = stores.length > 0;
  };

  const comments = (latest) => {
    const list = $('comment-list');
    list.replaceChildren();
    for (const comment of latest) {
      const item = el('li');
      const head = el('p', undefined, 'meta');
      head.append(el('span', comment.score + '/10', 'score ' + categoryOf(comment.score)), ' ' + (storeNames.get(comment.storeId) || comment.storeId) + ', ' + comment.at.slice(0, 10));
      item.append(head, el('p', comment.comment, 'comment'));
      list.append(item);
    }
    $('no-comments').hidden = latest.length > 0;
  };

  const render = ({ report, followUps, latestComments, viewer }, scoped) => {
    for (const store of report.stores) storeNames.set(store.storeId, store.name);
    if (!scoped) {
      const select = $('store');
      const current = select.value;
      select.replaceChildren(el('option', viewer.sees === 'all-stores' ? 'All stores' : 'All my stores'));
      select.firstChild.value = '';
      for (const store of report.stores) { const option = el('option', store.name); option.value = store.storeId; select.append(option); }
      select.value = report.stores.some((store) => store.storeId === current) ? current : '';
    }
    $('viewer').textContent = 'Signed in as ' + viewer.user + (viewer.sees === 'all-stores' ? ' (all stores).' : ' (your stores).');
    putNps($('kpi-nps'), report.overall);
    $('kpi-responses').textContent = String(report.overall.responses);
    $('kpi-rate').textContent = percent(report.overall.responseRate);
    $('kpi-open').textContent = String(followUps.open);
    $('kpi-overdue').textContent = String(followUps.overdue);
    $('kpi-overdue').classList.toggle('alert', followUps.overdue > 0);
    for (const chart of charts.splice(0)) chart.destroy();
    trend(report);
    distribution(report.overall);
    leaderboard(report.stores);
    comments(latestComments);
  };

  const load = async () => {
    const query = new URLSearchParams({ from: $('from').value, to: $('to').value, by: $('by').value });
    if ($('store').value) query.set('store', $('store').value);
    show('Loading\\u2026');
    let response;
    try {
      response = await fetch('/r/dashboard?' + query, { headers: { authorization: 'Bearer ' + (sessionStorage.getItem(tokenKey) || '') } });
    } catch {
      show('The dashboard could not be reached. Please try again.', true);
      return;
    }
    if (response.status === 401) { $('signin').hidden = false; $('dashboard').hidden = true; show('Please sign in.'); return; }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) { show(body.message || 'The dashboard could not be loaded (' + response.status + ').', true); return; }
    $('signin').hidden = true; $('dashboard').hidden = false;
    render(body, query.has('store'));
    const scope = query.has('store') ? storeNames.get(query.get('store')) || query.get('store') : $('store').options[0].textContent.toLowerCase();
    show('Showing ' + body.report.from + ' to ' + body.report.to + ' by ' + body.report.by + ', ' + scope + '.');
    document.body.dataset.ready = 'true';
  };
  $('signin').addEventListener('submit', (event) => { event.preventDefault(); sessionStorage.setItem(tokenKey, $('token').value.trim()); $('token').value = ''; load(); });
  $('filters').addEventListener('submit', (event) => { event.preventDefault(); delete document.body.dataset.ready; load(); });
  $('signout').addEventListener('click', () => { sessionStorage.removeItem(tokenKey); $('dashboard').hidden = true; $('signin').hidden = false; show('Signed out.'); });
  load();
})();`;

const styles = `<style>${uPlotStyles}
main{max-width:64rem}
h2{font-size:1.15rem;margin:2rem 0 .5rem}
input,select{font:inherit;padding:.4rem;border:2px solid #71717a;border-radius:6px;background:#fff;color:#18181b}
.filters{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-end}
.filters p{margin:0}
.filters label{display:block;font-weight:600;font-size:.9rem}
.filters button{padding:.5rem 1.2rem}
.viewer{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}
.viewer button{background:#fff;color:#18181b;border:2px solid #18181b;padding:.3rem .9rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;margin:0}
.tiles div{background:#f4f4f5;border-radius:8px;padding:.75rem}
.tiles dt{font-size:.9rem;color:#3f3f46}
.tiles dd{margin:0;font-size:1.6rem;font-weight:700}
.tiles dd.alert{color:#991b1b}
.low .figure{color:#52525b;font-style:italic}
.note{display:block;font-size:.8rem;font-weight:400;color:#52525b}
.chart{min-height:240px}
.key{font-size:.9rem;color:#3f3f46;margin:.25rem 0}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin:0 .3em 0 .6em;vertical-align:-.05em}
details{margin:.5rem 0}
summary{cursor:pointer;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #d4d4d8;vertical-align:top}
#comment-list{list-style:none;padding:0;margin:0}
#comment-list li{border-bottom:1px solid #d4d4d8;padding:.5rem 0}
#comment-list p{margin:0}
#comment-list .meta{font-size:.9rem;color:#3f3f46}
#comment-list .comment{white-space:pre-wrap;overflow-wrap:anywhere}
.score{display:inline-block;min-width:3.2em;text-align:center;border-radius:4px;color:#fff;font-weight:700;margin-right:.3em}
.line{background:#1d4ed8}.band{background:rgba(96,165,250,0.3)}.few{border:2px solid #71717a;box-sizing:border-box;border-radius:50%}
.detractor{background:#b91c1c}.passive{background:#b45309}.promoter{background:#15803d}
</style>`;

const body = `<form id="signin" hidden>
<p><label class="block" for="token">Your sign-in token</label>
<input id="token" name="token" autocomplete="off" style="width:100%"></p>
<p class="hint">The same token as for the follow-up cases page. On the local stack:
<code>npx closeloop dev-token --email you@example.com --role marketing</code></p>
<button type="submit">Sign in</button>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="dashboard" hidden>
<div class="viewer"><p id="viewer" class="hint"></p><button type="button" id="signout">Sign out</button></div>
<form id="filters" class="filters" aria-label="What to show">
<p><label for="from">From</label><input type="date" id="from" name="from" required></p>
<p><label for="to">To</label><input type="date" id="to" name="to" required></p>
<p><label for="by">Group by</label><select id="by" name="by"><option value="day">Day</option><option value="week">Week</option><option value="month" selected>Month</option></select></p>
<p><label for="store">Store</label><select id="store" name="store"><option value="">All stores</option></select></p>
<button type="submit">Show</button>
</form>
<section id="kpis" aria-labelledby="kpis-heading">
<h2 id="kpis-heading">Key figures</h2>
<dl class="tiles">
<div><dt>NPS (95% margin)</dt><dd id="kpi-nps" data-testid="kpi-nps"></dd></div>
<div><dt>Responses</dt><dd id="kpi-responses" data-testid="kpi-responses"></dd></div>
<div><dt>Response rate</dt><dd id="kpi-rate" data-testid="kpi-rate"></dd></div>
<div><dt>Open follow-ups</dt><dd id="kpi-open" data-testid="kpi-open"></dd></div>
<div><dt>Overdue follow-ups</dt><dd id="kpi-overdue" data-testid="kpi-overdue"></dd></div>
</dl>
</section>
<section id="nps-trend" aria-labelledby="trend-heading">
<h2 id="trend-heading">NPS trend</h2>
<p class="key"><span class="swatch line"></span>NPS
<span class="swatch band"></span>95% margin of error
<span class="swatch few"></span>fewer than 30 responses</p>
<div id="trend-chart" class="chart" role="img" aria-label="NPS trend"></div>
<details><summary>NPS per period, as a table</summary>
<table><thead><tr><th scope="col">Period</th><th scope="col">NPS ± margin</th><th scope="col">Responses</th><th scope="col">Response rate</th></tr></thead>
<tbody id="trend-rows"></tbody></table></details>
</section>
<section id="distribution" aria-labelledby="distribution-heading">
<h2 id="distribution-heading">Scores from 0 to 10</h2>
<p class="key"><span class="swatch detractor"></span>detractors (0-6)
<span class="swatch passive"></span>passives (7-8)
<span class="swatch promoter"></span>promoters (9-10)</p>
<div id="distribution-chart" class="chart" role="img" aria-label="Scores from 0 to 10"></div>
<details><summary>Answers per score, as a table</summary>
<table><thead><tr><th scope="col">Score</th><th scope="col">Category</th><th scope="col">Answers</th></tr></thead>
<tbody id="distribution-rows"></tbody></table></details>
</section>
<section id="leaderboard" aria-labelledby="leaderboard-heading">
<h2 id="leaderboard-heading">Store leaderboard</h2>
<table><thead><tr><th scope="col">Rank</th><th scope="col">Store</th><th scope="col">NPS ± margin</th><th scope="col">Responses</th><th scope="col">Response rate</th></tr></thead>
<tbody id="leaderboard-rows"></tbody></table>
<p id="no-stores" class="hint" hidden>No stores to show.</p>
</section>
<section id="comments" aria-labelledby="comments-heading">
<h2 id="comments-heading">Latest comments</h2>
<ul id="comment-list"></ul>
<p id="no-comments" class="hint" hidden>No comments in this period.</p>
</section>
</div>`;

/** The dashboard page; `nonce` allows its one script (uPlot, then the dashboard's own code). */
export const renderDashboardPage = (nonce: string) =>
  page({
    language: 'en',
    title: 'NPS dashboard',
    body,
    script: { nonce, code: `${uPlotScript}\n${script}` },
  }).replace('</head>', () => `${styles}\n</head>`); // page() has no slot for head styles
