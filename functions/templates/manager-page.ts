import { page } from './pages';

/**
 * The managers' page: it holds no data itself. The manager signs in with a token (in AWS the ID
 * token from the Cognito user pool; locally `npx closeloop dev-token`), kept in this tab's
 * sessionStorage; the script then calls the authenticated API. Everything shown is set with
 * textContent, so comments can never become markup.
 */
const script = `(() => {
  const $ = (id) => document.getElementById(id);
  const tokenKey = 'closeloop-manager-token';
  const api = (path, init = {}) => fetch(path, { ...init, headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sessionStorage.getItem(tokenKey) } });
  const cell = (row, text) => { const td = document.createElement('td'); td.textContent = text; row.append(td); return td; };
  const show = (message) => { $('status').textContent = message; };
  const load = async () => {
    const response = await api('/m/cases');
    if (response.status === 401) { $('signin').hidden = false; $('cases').hidden = true; show('Please sign in.'); return; }
    const { cases } = await response.json();
    $('signin').hidden = true; $('cases').hidden = false;
    const body = $('rows'); body.replaceChildren();
    for (const item of cases) {
      const row = document.createElement('tr');
      cell(row, item.overdue ? 'OVERDUE' : '');
      cell(row, item.status);
      cell(row, item.storeId);
      cell(row, item.score + '/10');
      cell(row, (item.customer.name || '') + ' <' + item.customer.email + '>');
      cell(row, item.comment || '');
      cell(row, item.dueAt.slice(0, 16).replace('T', ' '));
      const actions = cell(row, '');
      for (const status of ['contacted', 'resolved', 'no-answer']) {
        const button = document.createElement('button');
        button.type = 'button'; button.textContent = status; button.setAttribute('aria-label', 'Mark ' + (item.customer.name || item.customer.email) + ' ' + status);
        button.addEventListener('click', async () => {
          const note = $('note').value.trim();
          const update = await api('/m/cases/' + encodeURIComponent(item.caseId), { method: 'POST', body: JSON.stringify(note ? { status, note } : { status }) });
          show(update.ok ? 'Saved.' : (await update.json()).message);
          if (update.ok) { $('note').value = ''; await load(); }
        });
        actions.append(button);
      }
      body.append(row);
    }
    show(cases.length + ' cases.');
  };
  $('signin').addEventListener('submit', (event) => { event.preventDefault(); sessionStorage.setItem(tokenKey, $('token').value.trim()); load(); });
  load();
})();`;

export const renderManagerPage = (nonce: string) =>
  page({
    language: 'en',
    title: 'Follow-up cases',
    body: `<form id="signin" hidden>
<p><label class="block" for="token">Your sign-in token</label>
<input id="token" name="token" autocomplete="off" style="width:100%"></p>
<button type="submit">Sign in</button>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="cases" hidden>
<p><label class="block" for="note">Note for the next update (optional)</label>
<textarea id="note" rows="2"></textarea></p>
<table>
<thead><tr><th scope="col">Due?</th><th scope="col">Status</th><th scope="col">Store</th><th scope="col">Score</th><th scope="col">Customer</th><th scope="col">Comment</th><th scope="col">Due (UTC)</th><th scope="col">Update</th></tr></thead>
<tbody id="rows"></tbody>
</table>
</div>`,
    script: { nonce, code: script },
  });
