/**
 * The managers' page's script. The page holds no data itself: once signed in, the script lists what
 * needs doing (`GET /m/cases`, a page at a time), opens a case (`?case=ID`, the link of the alert
 * e-mails), and records calls, the closing and notes, each with a key of its own so that a double tap
 * or a retry is recorded once. Times are shown in each case's store zone, texts in the stores'
 * language. Everything from the API is set with textContent, so comments can never become markup.
 */
import type { Language } from '../domain/languages';
import { telUri } from '../domain/phone';
import type { CaseFilter, CaseRecord } from '../schemas/case';
import { localTime, type ManagerMessages, managerMessagesFor } from '../templates/manager-messages';
import { type ManagerPageMessages, managerPageMessagesFor } from '../templates/manager-page-messages';

/** The e-mails' texts (labels, reasons) and the page's own, in one language. */
const messagesFor = (language: Language) => ({
  ...managerMessagesFor(language),
  page: managerPageMessagesFor(language),
});

import { $ } from './dom';
import { signedIn, signedInEmail, signedInFetch, signOut } from './sign-in';

/** A case as the API shows it. */
type CaseView = CaseRecord & {
  readonly overdue: boolean;
  readonly storeName: string;
  readonly timezone: string;
};
interface CaseList {
  readonly cases: CaseView[];
  readonly nextCursor?: string;
  readonly stores: { storeId: string; name: string }[];
  readonly language: Language;
}

let language: Language = 'en';
let m: ManagerMessages & { readonly page: ManagerPageMessages } = messagesFor('en');
let nextCursor: string | undefined;
let shownCase: CaseView | undefined;

/** Every call of the API goes through here (the sign-in decides how a request is authorised). */
const api = (path: string, init: RequestInit = {}) =>
  signedInFetch(path, { ...init, headers: { 'content-type': 'application/json' } });

const el = <Tag extends keyof HTMLElementTagNameMap>(tag: Tag, text?: string, className?: string) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
};
const show = (message: string, error = false) => {
  $('status').textContent = message;
  $('status').className = error ? 'status error' : 'status';
};
const time = (iso: string, timeZone: string) => localTime(iso, language, timeZone);
const who = (item: CaseView) => item.customer.name || item.customer.email || item.caseId;
const statusSelect = () => $<HTMLSelectElement>('filter-status');
const storeSelect = () => $<HTMLSelectElement>('filter-store');

/** Puts the page's fixed texts in the manager's language. */
const translate = () => {
  document.documentElement.lang = language;
  document.title = m.page.title;
  const heading = document.querySelector('h1');
  if (heading) heading.textContent = m.page.title;
  for (const node of document.querySelectorAll<HTMLElement>('[data-t]')) {
    const value = (node.dataset.t ?? '')
      .split('.')
      .reduce<unknown>((texts, key) => (texts as Record<string, unknown> | undefined)?.[key], m.page);
    if (typeof value === 'string') node.textContent = value;
  }
  $('filters').setAttribute('aria-label', m.page.filtersLabel);
};

/** The body of an answer, or undefined after showing what went wrong. */
const readJson = async <Body>(response: Response): Promise<Body | undefined> => {
  const body = (await response.json()) as Body & { message?: string; issues?: string[] };
  if (!response.ok) {
    show([body.message, ...(body.issues ?? [])].filter(Boolean).join(' '), true);
    return undefined;
  }
  return body;
};

const fillStores = (stores: CaseList['stores']) => {
  $('store-filter').hidden = stores.length <= 1;
  const select = storeSelect();
  if (select.options.length === stores.length + 1) return;
  const chosen = select.value;
  select.replaceChildren(select.options[0] as HTMLOptionElement);
  for (const store of stores) {
    const option = el('option', store.name);
    option.value = store.storeId;
    select.append(option);
  }
  select.value = chosen;
};

const card = (item: CaseView) => {
  const link = el('a', undefined, item.overdue ? 'card overdue' : 'card');
  link.href = `?case=${encodeURIComponent(item.caseId)}`;
  const name = el('p', undefined, 'who');
  if (item.overdue) name.append(el('span', m.overdue, 'flag'));
  name.append(who(item));
  const facts = el('p', undefined, 'meta');
  facts.append(
    el('span', `${item.score}/10`, 'badge'),
    `${m.page.statuses[item.status]} · ${item.storeName}`,
  );
  link.append(name, facts, el('p', m.dueBy(time(item.dueAt, item.timezone)), 'meta'));
  if (item.comment) {
    const excerpt = item.comment.length > 140 ? `${item.comment.slice(0, 139)}…` : item.comment;
    link.append(el('p', excerpt, 'comment'));
  }
  link.addEventListener('click', (event) => {
    event.preventDefault();
    void openCase(item.caseId, true);
  });
  const entry = el('li');
  entry.append(link);
  return entry;
};

/** Loads the first page of the chosen cases, or the next one (`more`). */
const loadList = async (more = false) => {
  const query = new URLSearchParams({ status: statusSelect().value });
  if (storeSelect().value !== '') query.set('store', storeSelect().value);
  if (more && nextCursor !== undefined) query.set('cursor', nextCursor);
  const list = await readJson<CaseList>(await api(`/m/cases?${query}`));
  if (list === undefined) return false;
  if (list.language !== language) {
    language = list.language;
    m = messagesFor(language);
    translate();
  }
  fillStores(list.stores);
  const cards = $('case-list');
  if (!more) cards.replaceChildren();
  cards.append(...list.cases.map(card));
  nextCursor = list.nextCursor;
  $('more').hidden = nextCursor === undefined;
  $('count').textContent = cards.children.length === 0 ? m.page.nothing : m.page.shown(cards.children.length);
  return true;
};

const fact = (list: HTMLElement, label: string, value: string | Node) => {
  list.append(el('dt', label));
  const detail = el('dd');
  detail.append(value);
  list.append(detail);
};

const renderCase = (item: CaseView) => {
  shownCase = item;
  $('case-title').textContent = who(item);
  const state = $('case-state');
  state.replaceChildren();
  if (item.overdue) state.append(el('span', m.overdue, 'flag'));
  state.append(
    item.status === 'closed' && item.closedAt
      ? m.page.closedOn(
          time(item.closedAt, item.timezone),
          item.resolution ? m.page.resolutions[item.resolution.kind] : m.page.statuses.closed,
        )
      : m.page.statuses[item.status],
  );
  if (item.escalatedTo) state.append(' · ', m.page.escalatedTo(item.escalatedTo));
  if (item.erasedAt) state.append(' · ', m.page.erased);

  const dial = $<HTMLAnchorElement>('dial');
  dial.hidden = item.customer.phone === undefined;
  if (item.customer.phone !== undefined) {
    dial.href = telUri(item.customer.phone);
    dial.textContent = m.page.call(item.customer.phone);
  }

  const facts = $('facts');
  facts.replaceChildren();
  const { labels } = m;
  fact(facts, labels.score, `${item.score}/10`);
  fact(facts, labels.store, item.storeName);
  fact(facts, labels.phone, item.customer.phone ?? m.noPhone);
  if (item.customer.email) {
    const mail = el('a', item.customer.email);
    mail.href = `mailto:${item.customer.email}`;
    mail.setAttribute('aria-label', m.page.writeTo(item.customer.email));
    fact(facts, labels.email, mail);
  }
  fact(facts, labels.comment, item.comment ?? m.noComment);
  const reasonNames = m.reasons as Readonly<Record<string, string>>;
  fact(
    facts,
    labels.reasons,
    item.reasons.length > 0
      ? item.reasons.map((reason) => reasonNames[reason] ?? reason).join(', ')
      : m.noReasons,
  );
  fact(
    facts,
    labels.earlierScores,
    item.previousScores.length > 0
      ? item.previousScores.map((score) => `${score}/10`).join(', ')
      : m.firstSurvey,
  );
  fact(facts, labels.answered, time(item.answeredAt, item.timezone));
  fact(facts, labels.due, time(item.dueAt, item.timezone));

  const entries = [
    ...item.calls.map((call) => ({
      at: call.at,
      by: call.by,
      title: m.page.callEntry(m.page.outcomes[call.outcome]),
      text: call.note,
    })),
    ...item.notes.map((note) => ({ at: note.at, by: note.by, title: m.page.noteEntry, text: note.text })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const history = $('history');
  history.replaceChildren(
    ...entries.map((entry) => {
      const line = el('li');
      line.append(
        el('p', `${entry.title}`),
        el('p', `${time(entry.at, item.timezone)} · ${entry.by}`, 'muted'),
      );
      if (entry.text) line.append(el('p', entry.text, 'text'));
      return line;
    }),
  );
  if (entries.length === 0) history.append(el('li', m.page.noHistory, 'muted'));

  const open = item.status !== 'closed' && item.erasedAt === undefined;
  $('call-form').hidden = !open;
  $('close-form').hidden = !open;
  $('note-form').hidden = item.erasedAt !== undefined;
};

/** Shows the list, loaded again when the manager comes back to it from a case (`reload`). */
const showList = async (push: boolean, reload: boolean) => {
  const cameBack = shownCase !== undefined;
  shownCase = undefined;
  // Never show the list as it was before the case changed (a case just closed would still be in it).
  if (reload && cameBack) {
    $('case-list').replaceChildren();
    $('more').hidden = true;
    $('count').textContent = m.page.loading;
  }
  $('case-view').hidden = true;
  $('list-view').hidden = false;
  if (push) history.pushState({}, '', location.pathname);
  if (reload && cameBack) {
    nextCursor = undefined;
    await loadList();
  }
};

const openCase = async (caseId: string, push: boolean) => {
  const item = await readJson<CaseView>(await api(`/m/cases/${encodeURIComponent(caseId)}`));
  if (item === undefined) return;
  show('');
  renderCase(item);
  $('list-view').hidden = true;
  $('case-view').hidden = false;
  if (push) history.pushState({}, '', `?case=${encodeURIComponent(caseId)}`);
  $('case-title').focus();
};

/** A fresh key for a form's next action: the same key is sent again on a retry of that action. */
const requestIds = new Map<string, string>();
const newRequestId = (formId: string) => {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  requestIds.set(formId, Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(''));
};

const submitAction = (
  formId: string,
  path: string,
  body: (form: HTMLFormElement) => Record<string, string>,
) => {
  newRequestId(formId);
  const form = $<HTMLFormElement>(formId);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button') as HTMLButtonElement;
    if (shownCase === undefined || button.disabled) return;
    button.disabled = true;
    try {
      const fields = Object.fromEntries(
        Object.entries(body(form)).filter(([, value]) => value.trim() !== ''),
      );
      const response = await api(`/m/cases/${encodeURIComponent(shownCase.caseId)}/${path}`, {
        method: 'POST',
        body: JSON.stringify({ ...fields, requestId: requestIds.get(formId) }),
      });
      const updated = await readJson<CaseView>(response);
      if (updated !== undefined) {
        form.reset();
        newRequestId(formId);
        renderCase(updated);
        show(m.page.saved);
      } else if (response.status === 409) {
        newRequestId(formId);
        await openCase(shownCase.caseId, false);
      }
    } catch {
      // The answer was lost: the same key goes with the retry, so nothing is recorded twice.
      show('The connection failed; please try again.', true);
    } finally {
      button.disabled = false;
    }
  });
};

const field = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '');
submitAction('call-form', 'calls', (form) => ({
  outcome: field(form, 'outcome'),
  note: field(form, 'note'),
}));
submitAction('close-form', 'close', (form) => ({
  resolution: field(form, 'resolution'),
  note: field(form, 'note'),
}));
submitAction('note-form', 'notes', (form) => ({ note: field(form, 'note') }));
$('close-form').addEventListener('change', () => {
  $<HTMLTextAreaElement>('close-note').required =
    field($<HTMLFormElement>('close-form'), 'resolution') === 'other';
});

$('filters').addEventListener('change', () => {
  nextCursor = undefined;
  void loadList();
});
$('more').addEventListener('click', () => void loadList(true));
$('back').addEventListener('click', (event) => {
  event.preventDefault();
  void showList(true, true);
});
window.addEventListener('popstate', () => void route());

/** Shows what the address asks for: a case (`?case=ID`) or the list. */
const route = async () => {
  const caseId = new URLSearchParams(location.search).get('case');
  if (caseId) await openCase(caseId, false);
  else await showList(false, true);
};

const start = async () => {
  statusSelect().value = 'todo' satisfies CaseFilter;
  show(m.page.loading);
  if (!(await loadList())) return;
  show('');
  await route();
};

$('signout').addEventListener('click', () => void signOut());
// The address (`?case=ID`) is the one asked for only once the sign-in has brought the reader back.
signedIn().then(
  (user) => {
    $('viewer').textContent = `Signed in as ${signedInEmail(user)}.`;
    $('signed-in').hidden = false;
    return start();
  },
  (error: Error) => show(error.message, true),
);
