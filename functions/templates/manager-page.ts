import { managerPageScript } from '../../lib/bundling/browser-scripts';
import type { PageSignIn } from '../schemas/sign-in';
import { page } from './pages';
import { signInSettingsBlock } from './sign-in';

/**
 * The managers' page: it holds no data itself. Its script (`functions/browser/manager-page.ts`)
 * signs the manager in (OpenID Connect, code + PKCE: Cognito's managed login in AWS, the local
 * provider locally), then calls the authenticated API with the ID token.
 */
export const renderManagerPage = (nonce: string, signIn: PageSignIn) =>
  page({
    language: 'en',
    title: 'Follow-up cases',
    body: `${signInSettingsBlock(signIn)}
<div id="signed-in" class="viewer" hidden><p id="viewer" class="hint"></p><button type="button" id="signout">Sign out</button></div>
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
