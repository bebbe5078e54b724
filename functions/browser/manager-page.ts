/**
 * The managers' page's script. The page holds no data itself: the manager signs in (`sign-in.ts`:
 * OpenID Connect, code + PKCE) and the script calls the authenticated API with the ID token.
 * Everything shown is set with textContent, so comments can never become markup.
 */
import type { CaseRecord, CaseUpdateInput } from '../schemas/case';
import { $ } from './dom';
import { signedIn, signedInEmail, signedInFetch, signOut } from './sign-in';

/** A case as `GET /m/cases` lists it. */
type CaseView = CaseRecord & { readonly overdue: boolean };

/** The statuses a manager may set (`CaseUpdateInput`), one button each, in this order. */
type SettableStatus = NonNullable<CaseUpdateInput['status']>;
const statuses = ['contacted', 'resolved', 'no-answer'] as const satisfies readonly SettableStatus[];
/** tsc fails here when the schema gains a status that has no button. */
type Holds<Condition extends true> = Condition;
export type EveryStatusHasAButton = Holds<
  [Exclude<SettableStatus, (typeof statuses)[number]>] extends [never] ? true : false
>;

const api = (path: string, init: RequestInit = {}) =>
  signedInFetch(path, { ...init, headers: { 'content-type': 'application/json' } });
const cell = (row: HTMLTableRowElement, text: string) => {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
};
const show = (message: string) => {
  $('status').textContent = message;
};
const note = () => $<HTMLTextAreaElement>('note');

const load = async () => {
  const response = await api('/m/cases');
  if (!response.ok) {
    show((await response.json()).message);
    return;
  }
  const { cases } = (await response.json()) as { cases: CaseView[] };
  $('cases').hidden = false;
  const body = $('rows');
  body.replaceChildren();
  for (const item of cases) {
    const row = document.createElement('tr');
    cell(row, item.overdue ? 'OVERDUE' : '');
    cell(row, item.status);
    cell(row, item.storeId);
    cell(row, `${item.score}/10`);
    cell(row, `${item.customer.name || ''} <${item.customer.email}>`);
    cell(row, item.comment || '');
    cell(row, item.dueAt.slice(0, 16).replace('T', ' '));
    const actions = cell(row, '');
    for (const status of statuses) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = status;
      button.setAttribute('aria-label', `Mark ${item.customer.name || item.customer.email} ${status}`);
      button.addEventListener('click', async () => {
        const text = note().value.trim();
        const update = await api(`/m/cases/${encodeURIComponent(item.caseId)}`, {
          method: 'POST',
          body: JSON.stringify(text ? { status, note: text } : { status }),
        });
        show(update.ok ? 'Saved.' : (await update.json()).message);
        if (update.ok) {
          note().value = '';
          await load();
        }
      });
      actions.append(button);
    }
    body.append(row);
  }
  show(`${cases.length} cases.`);
};

$('signout').addEventListener('click', () => void signOut());
signedIn().then(
  (user) => {
    $('viewer').textContent = `Signed in as ${signedInEmail(user)}.`;
    $('signed-in').hidden = false;
    return load();
  },
  (error: Error) => show(error.message),
);
