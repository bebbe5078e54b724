import escapeHtml from 'escape-html';
import { type PageSignIn, pageSignInElementId } from '../schemas/sign-in';

/**
 * The page's sign-in settings for its script: JSON in a hidden element's attribute, escaped as HTML.
 * Data, not script: the page keeps exactly one script, its nonce'd own.
 */
export const signInSettingsBlock = (signIn: PageSignIn) =>
  `<div id="${pageSignInElementId}" hidden data-settings="${escapeHtml(JSON.stringify(signIn))}"></div>`;

/**
 * Where the page's script talks to besides the API: the issuer (discovery, token endpoint) and, with
 * Cognito, the managed login domain that serves both `/logout` and `/oauth2/token`.
 */
export const signInConnectSources = (signIn: PageSignIn) => [
  ...new Set(
    [signIn.issuerUrl, ...(signIn.logoutUrl ? [signIn.logoutUrl] : [])].map((url) => new URL(url).origin),
  ),
];
