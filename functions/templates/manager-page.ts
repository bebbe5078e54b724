import { managerPageScript } from '../../lib/bundling/browser-scripts';
import { page } from './pages';

/**
 * The managers' page: it holds no data itself. The manager signs in with a token (in AWS the ID
 * token from the Cognito user pool; locally `npx closeloop dev-token`), kept in this tab's
 * sessionStorage; the script (`functions/browser/manager-page.ts`) then calls the authenticated API.
 */
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
    script: { nonce, code: managerPageScript() },
  });
