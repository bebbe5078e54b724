import { type PageSignIn, pageSignInElementId } from '../schemas/sign-in';

/**
 * The page's sign-in settings for its script, as a JSON block (data, not script: the CSP's nonce
 * scheme is untouched). `<` is escaped, so no value can close the element.
 */
export const signInSettingsBlock = (signIn: PageSignIn) =>
  `<script type="application/json" id="${pageSignInElementId}">${JSON.stringify(signIn).replaceAll('<', '\\u003c')}</script>`;

/**
 * Where the page's script talks to besides the API: the issuer (discovery, token endpoint) and, with
 * Cognito, the managed login domain that serves both `/logout` and `/oauth2/token`.
 */
export const signInConnectSources = (signIn: PageSignIn) => [
  ...new Set(
    [signIn.issuerUrl, ...(signIn.logoutUrl ? [signIn.logoutUrl] : [])].map((url) => new URL(url).origin),
  ),
];
