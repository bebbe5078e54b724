import { dashboardPageScript } from '../../lib/bundling/browser-scripts';
import { MIN_RESPONSES_FOR_CONFIDENCE } from '../domain/nps';
import type { PageSignIn } from '../schemas/sign-in';
import { page } from './pages';
import { signInSettingsBlock } from './sign-in';
import { uPlotScript, uPlotStyles } from './vendor-assets';

/**
 * The NPS dashboard: like the managers' page it holds no data itself. Its script
 * (`functions/browser/dashboard-page.ts`) signs the reader in (the same sign-in as the managers' page)
 * and calls `GET /r/dashboard` and draws the charts with uPlot, inlined before it in the page's one
 * nonce'd script. Every chart has a text summary (its aria-label) and its figures in a table, and
 * everything from the API is set with textContent, so comments can never become markup. Marketing and
 * admins also get an "Export a segment" panel (`POST /r/exports` for the store and period shown).
 */
const styles = `<style>${uPlotStyles}
main{max-width:64rem}
h2{font-size:1.15rem;margin:2rem 0 .5rem}
input,select{font:inherit;padding:.4rem;border:2px solid #71717a;border-radius:6px;background:#fff;color:#18181b}
.filters{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:flex-end}
.filters p{margin:0}
.filters label{display:block;font-weight:600;font-size:.9rem}
.filters button{padding:.5rem 1.2rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;margin:0}
.tiles div{background:#f4f4f5;border-radius:8px;padding:.75rem}
.tiles dt{font-size:.9rem;color:#3f3f46}
.tiles dd{margin:0;font-size:1.6rem;font-weight:700}
.tiles dd.alert{color:#991b1b}
.low .figure{color:#52525b;font-style:italic}
.move.up{color:#166534}.move.down{color:#991b1b}.move{font-weight:600}
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
#theme-examples,#theme-examples ul{list-style:none;padding:0}
#theme-examples h4{margin:.75rem 0 .25rem}
#theme-examples q{overflow-wrap:anywhere}
.score{display:inline-block;min-width:3.2em;text-align:center;border-radius:4px;color:#fff;font-weight:700;margin-right:.3em}
.line{background:#1d4ed8}.band{background:rgba(96,165,250,0.3)}.few{border:2px solid #71717a;box-sizing:border-box;border-radius:50%}
.detractor{background:#b91c1c}.passive{background:#b45309}.promoter{background:#15803d}
</style>`;

const body = `<p id="status" class="status" role="status" aria-live="polite"></p>
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
<div><dt>Scanner answers discarded</dt><dd id="kpi-scanners" data-testid="kpi-scanners"></dd></div>
</dl>
</section>
<section id="nps-trend" aria-labelledby="trend-heading">
<h2 id="trend-heading">NPS trend</h2>
<p class="key"><span class="swatch line"></span>NPS
<span class="swatch band"></span>95% margin of error
<span class="swatch few"></span>fewer than ${MIN_RESPONSES_FOR_CONFIDENCE} responses</p>
<div id="trend-chart" class="chart" role="img" aria-label="NPS trend"></div>
<details><summary>NPS per period, as a table</summary>
<table><thead><tr><th scope="col">Period</th><th scope="col">NPS ± margin</th><th scope="col">Responses</th><th scope="col">Response rate</th><th scope="col">Change</th></tr></thead>
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
<section id="follow-up" aria-labelledby="follow-up-heading">
<h2 id="follow-up-heading">Follow-up</h2>
<p class="hint">Detractor cases opened in the period. Times to the first call are estimated from hour buckets.</p>
<dl class="tiles">
<div><dt>Called within 24 h</dt><dd id="fu-sla" data-testid="fu-sla"></dd></div>
<div><dt>Median time to first call</dt><dd id="fu-median" data-testid="fu-median"></dd></div>
<div><dt>90th percentile</dt><dd id="fu-p90" data-testid="fu-p90"></dd></div>
<div><dt>Escalated</dt><dd id="fu-escalated" data-testid="fu-escalated"></dd></div>
</dl>
<table><caption>Calls and resolutions</caption>
<thead><tr><th scope="col">What</th><th scope="col">Count</th></tr></thead>
<tbody id="fu-rows" data-testid="fu-rows"></tbody></table>
</section>
<section id="drivers" aria-labelledby="drivers-heading">
<h2 id="drivers-heading">Drivers</h2>
<p id="drivers-summary" class="hint" data-testid="drivers-summary"></p>
<table data-testid="reasons-table"><caption>Reasons picked on the survey page</caption>
<thead><tr><th scope="col">Reason</th><th scope="col">Named by</th><th scope="col">Promoters / passives / detractors</th><th scope="col">NPS of those who named it</th><th scope="col">Share of all detractors</th></tr></thead>
<tbody id="reason-rows"></tbody></table>
<table data-testid="themes-table"><caption>Themes of the comments</caption>
<thead><tr><th scope="col">Theme</th><th scope="col">Mentioned by</th><th scope="col">Promoters / passives / detractors</th><th scope="col">NPS of those who mentioned it</th><th scope="col">Share of detractors who commented</th></tr></thead>
<tbody id="theme-rows"></tbody></table>
<p id="no-themes" class="hint" hidden>No comment themes in this period.</p>
<h3>Example comments per theme</h3>
<ul id="theme-examples" class="examples" data-testid="theme-examples"></ul>
</section>
<section id="leaderboard" aria-labelledby="leaderboard-heading">
<h2 id="leaderboard-heading">Store leaderboard</h2>
<table><thead><tr><th scope="col">Rank</th><th scope="col">Store</th><th scope="col">NPS ± margin</th><th scope="col">Responses</th><th scope="col">Response rate</th><th scope="col">Against the rest</th><th scope="col">For ±10 points</th></tr></thead>
<tbody id="leaderboard-rows"></tbody></table>
<p class="hint" id="significance-key">▲ and ▼ mark only significant differences (95%, adjusted-Wald z test); a difference without a mark is within noise. <span id="rest-scope"></span> “For ±10 points”: responses still needed for a margin of error of ±10 points, and the invitations they take at the store’s response rate.</p>
<p id="no-stores" class="hint" hidden>No stores to show.</p>
</section>
<section id="benchmarks" aria-labelledby="benchmarks-heading">
<h2 id="benchmarks-heading">Against benchmarks</h2>
<table><thead><tr><th scope="col">Benchmark</th><th scope="col">For</th><th scope="col">Their NPS</th><th scope="col">Their sample</th><th scope="col">Our NPS ± margin</th><th scope="col">Gap</th><th scope="col">Stores apart</th></tr></thead>
<tbody id="benchmark-rows" data-testid="benchmark-rows"></tbody></table>
<p class="hint" id="benchmarks-key">Gap: our NPS in the period shown minus the benchmark’s. ▲ and ▼ mark only a significant gap (95%); a gap without a mark is within noise. A benchmark without a sample size is taken as exact: only our margin of error counts. Stores apart: the stores significantly above or below a benchmark for all stores.</p>
<p id="no-benchmarks" class="hint" hidden>No benchmarks to compare with. Marketing adds competitor and industry figures with <code>closeloop benchmarks add</code>.</p>
</section>
<section id="export" aria-labelledby="export-heading" hidden>
<h2 id="export-heading">Export a segment</h2>
<p id="export-scope" class="hint"></p>
<form id="export-form" class="filters" aria-labelledby="export-heading">
<p><label for="export-segment">Segment</label><select id="export-segment"><option value="promoters">Promoters (9-10)</option><option value="passives">Passives (7-8)</option><option value="detractors">Detractors (0-6)</option></select></p>
<p><label for="export-format">Format</label><select id="export-format"><option value="csv">CSV</option><option value="jsonl">JSON Lines</option></select></p>
<button type="submit">Start export</button>
</form>
<p id="export-status" role="status" aria-live="polite"></p>
</section>
<section id="comments" aria-labelledby="comments-heading">
<h2 id="comments-heading">Latest comments</h2>
<ul id="comment-list"></ul>
<p id="no-comments" class="hint" hidden>No comments in this period.</p>
</section>
<section id="win-back" aria-labelledby="win-back-heading">
<h2 id="win-back-heading">Win-back</h2>
<p class="hint">Detractors who answered their next survey as passives or promoters: those a call reached before their case was closed, against those no call ever reached. Counted in the period of the next answer, in the store whose case it was. The groups are not chosen at random, so a difference shows what went with the call, not only what the call caused.</p>
<dl class="tiles">
<div><dt>Called, came back</dt><dd id="wb-called" data-testid="wb-called"></dd></div>
<div><dt>Not reached, came back</dt><dd id="wb-not-reached" data-testid="wb-not-reached"></dd></div>
<div><dt>Difference</dt><dd id="wb-difference" data-testid="wb-difference"></dd></div>
</dl>
<table><caption>Win-back per store, with 95% intervals</caption>
<thead><tr><th scope="col">Store</th><th scope="col">Called: came back</th><th scope="col">Not reached: came back</th><th scope="col">Called against not reached</th></tr></thead>
<tbody id="wb-rows" data-testid="wb-rows"></tbody></table>
</section>
</div>`;

/** The dashboard page; `nonce` allows its one script (uPlot, then the dashboard's own code). */
export const renderDashboardPage = (nonce: string, signIn: PageSignIn) =>
  page({
    language: 'en',
    title: 'NPS dashboard',
    body: `${signInSettingsBlock(signIn)}\n${body}`,
    script: { nonce, code: `${uPlotScript}\n${dashboardPageScript()}` },
  }).replace('</head>', () => `${styles}\n</head>`); // page() has no slot for head styles
