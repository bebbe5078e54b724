import { managerPageScript } from '../../lib/bundling/browser-scripts';
import { callOutcomes, caseFilters, resolutionKinds } from '../schemas/case';
import type { PageSignIn } from '../schemas/sign-in';
import { managerPageMessagesFor } from './manager-page-messages';
import { escapeHtml, page } from './pages';
import { signInSettingsBlock } from './sign-in';

/** The page's texts start in English; the script swaps every `data-t` text for the manager's language. */
const en = managerPageMessagesFor('en');
const t = (key: keyof typeof en) => `data-t="${key}"`;
const text = (key: keyof typeof en) => escapeHtml(String(en[key]));

const styles = `<style>
[hidden]{display:none!important}
main{max-width:46rem;margin:0 auto;border-radius:0;padding:1rem}
@media (min-width:48rem){main{margin:2rem auto;border-radius:8px;padding:1.5rem}}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}
select,input[type=text]{font:inherit;width:100%;box-sizing:border-box;min-height:2.9rem;padding:.5rem;border:2px solid #71717a;border-radius:6px;background:#fff;color:#18181b}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;margin:0 0 1rem}
.filters p{margin:0}
.filters label,label.block{display:block;font-weight:600;margin-bottom:.3rem}
.cards{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.card{display:block;border:2px solid #d4d4d8;border-radius:8px;padding:.75rem 1rem;color:inherit;text-decoration:none;min-height:2.75rem}
.card:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.card.overdue{border-color:#991b1b;border-left-width:8px}
.card .who{font-weight:700;font-size:1.05rem}
.card .meta,.muted{color:#3f3f46;font-size:.95rem}
.card .comment{margin:.35rem 0 0;overflow-wrap:anywhere}
.flag{display:inline-block;font-weight:700;color:#fff;background:#991b1b;border-radius:4px;padding:0 .4rem;margin-right:.4rem}
.badge{display:inline-block;font-weight:700;border:2px solid #18181b;border-radius:4px;padding:0 .35rem;margin-right:.4rem}
.more{margin-top:1rem;width:100%}
.back{display:inline-block;padding:.6rem 0;font-weight:600;color:#1d4ed8}
.facts{margin:0 0 1rem;display:grid;grid-template-columns:minmax(7rem,auto) 1fr;gap:.35rem .75rem}
.facts dt{font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.dial{display:block;text-align:center;padding:.8rem 1rem;border-radius:6px;background:#166534;color:#fff;font-weight:700;text-decoration:none;margin:.5rem 0 1rem}
.dial:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.history{list-style:none;margin:0;padding:0}
.history li{border-left:4px solid #d4d4d8;padding:.25rem .75rem;margin:.5rem 0}
.history .text{margin:.15rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
form.action{border-top:1px solid #d4d4d8;margin-top:1.25rem;padding-top:.25rem}
.options label{display:flex;align-items:center;gap:.6rem;min-height:2.75rem;padding:0 .75rem;border:2px solid #d4d4d8;border-radius:6px;margin:.4rem 0;cursor:pointer}
.options input{width:1.3rem;height:1.3rem;margin:0}
form.action button{width:100%;margin-top:.75rem}
.secondary{background:#fff;color:#18181b;border:2px solid #18181b}
</style>`;

const radios = (name: string, values: readonly string[], group: 'outcomes' | 'resolutions') =>
  values
    .map(
      (value) =>
        `<label><input type="radio" name="${name}" value="${value}" required><span data-t="${group}.${value}">${escapeHtml(
          (en[group] as Record<string, string>)[value] ?? value,
        )}</span></label>`,
    )
    .join('');

/** Who is signed in (OpenID Connect, code + PKCE, by `functions/browser/sign-in.ts`), and signing out. */
const signedIn = `<div id="signed-in" class="viewer" hidden><p id="viewer" class="hint"></p><button type="button" id="signout" class="secondary">Sign out</button></div>`;

const listView = `<section id="list-view" hidden>
<form id="filters" class="filters" aria-label="${text('filtersLabel')}">
<p><label for="filter-status" ${t('showLabel')}>${text('showLabel')}</label>
<select id="filter-status" name="status">${caseFilters
  .map(
    (filter) =>
      `<option value="${filter}" data-t="filters.${filter}">${escapeHtml(en.filters[filter])}</option>`,
  )
  .join('')}</select></p>
<p id="store-filter"><label for="filter-store" ${t('storeLabel')}>${text('storeLabel')}</label>
<select id="filter-store" name="store"><option value="" ${t('allStores')}>${text('allStores')}</option></select></p>
</form>
<p id="count" class="muted"></p>
<ul id="case-list" class="cards"></ul>
<button type="button" id="more" class="more secondary" hidden ${t('more')}>${text('more')}</button>
</section>`;

const caseView = `<section id="case-view" hidden aria-labelledby="case-title">
<a href="?" id="back" class="back" ${t('back')}>${text('back')}</a>
<h2 id="case-title" tabindex="-1"></h2>
<p id="case-state"></p>
<a id="dial" class="dial" hidden></a>
<dl id="facts" class="facts"></dl>
<h3 ${t('history')}>${text('history')}</h3>
<ul id="history" class="history"></ul>
<form id="call-form" class="action">
<h3 ${t('recordCall')}>${text('recordCall')}</h3>
<fieldset class="options"><legend ${t('outcomeLegend')}>${text('outcomeLegend')}</legend>${radios('outcome', callOutcomes, 'outcomes')}</fieldset>
<p><label class="block" for="call-note" ${t('optionalNote')}>${text('optionalNote')}</label>
<textarea id="call-note" name="note" rows="2" maxlength="2000"></textarea></p>
<button type="submit" ${t('saveCall')}>${text('saveCall')}</button>
</form>
<form id="close-form" class="action">
<h3 ${t('closeCase')}>${text('closeCase')}</h3>
<fieldset class="options"><legend ${t('resolutionLegend')}>${text('resolutionLegend')}</legend>${radios('resolution', resolutionKinds, 'resolutions')}</fieldset>
<p><label class="block" for="close-note" ${t('closeNote')}>${text('closeNote')}</label>
<textarea id="close-note" name="note" rows="2" maxlength="2000"></textarea></p>
<button type="submit" ${t('closeCase')}>${text('closeCase')}</button>
</form>
<form id="note-form" class="action">
<h3 ${t('addNote')}>${text('addNote')}</h3>
<p><label class="block" for="note-text" ${t('note')}>${text('note')}</label>
<textarea id="note-text" name="note" rows="2" maxlength="2000" required></textarea></p>
<button type="submit" class="secondary" ${t('saveNote')}>${text('saveNote')}</button>
</form>
</section>`;

/**
 * The managers' page: it holds no data itself. After sign-in its script
 * (`functions/browser/manager-page.ts`) lists what needs doing from `GET /m/cases`, opens a case
 * (`/m?case=ID`, the alert e-mails' link), and records calls, notes and the closing; times in each
 * store's zone, texts in the stores' language. Cards, not a table: it is read on a phone.
 */
export const renderManagerPage = (nonce: string, signIn: PageSignIn) =>
  page({
    language: 'en',
    title: en.title,
    body: `${signInSettingsBlock(signIn)}
${signedIn}
<p id="status" class="status" role="status" aria-live="polite"></p>
${listView}
${caseView}`,
    script: { nonce, code: managerPageScript() },
  }).replace('</head>', () => `${styles}\n</head>`); // page() has no slot for head styles
