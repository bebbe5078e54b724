/**
 * Staff sign-in for the managers' page and the dashboard: OpenID Connect, authorization code with
 * PKCE (oidc-client-ts), against Cognito's managed login in AWS and the local provider locally, with
 * the settings the page hands over in a JSON block. The user (ID token) is kept in this tab's
 * sessionStorage, so one sign-in serves both pages. The API's JWT authorizer gets the ID token: the
 * functions read its `email` and `cognito:groups` claims.
 */
import { type User, UserManager } from 'oidc-client-ts';
import { type PageSignIn, pageSignInElementId } from '../schemas/sign-in';

const settings = JSON.parse(
  document.getElementById(pageSignInElementId)?.dataset.settings ?? '{}',
) as PageSignIn;
/** The page itself (`{apiUrl}/m` or `/d`): the redirect and sign-out URIs the app client allows. */
const pageUrl = `${location.origin}${location.pathname}`;

const users = new UserManager({
  authority: settings.issuerUrl,
  client_id: settings.clientId,
  redirect_uri: pageUrl,
  post_logout_redirect_uri: pageUrl,
  response_type: 'code',
  scope: 'openid email',
  loadUserInfo: false,
  automaticSilentRenew: false,
  monitorSession: false,
});

/** Where the reader was going (path, query and hash, e.g. `/m?case=ID`): kept across the round trip. */
interface SignInState {
  readonly returnTo: string;
}

/** A same-origin path only: nothing in the state may send the reader elsewhere. */
const samePagePath = (value: unknown) =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : location.pathname;

/** The user signed in during this page load, by the redirect back from the provider. */
let freshUser: User | undefined;
let current: Promise<User> | undefined;

/** Off to the provider's login; the page is left, so this never resolves. */
const redirectToSignIn = async (): Promise<never> => {
  const state: SignInState = { returnTo: `${location.pathname}${location.search}${location.hash}` };
  await users.signinRedirect({ state });
  return new Promise<never>(() => {});
};

const isSignInCallback = () => {
  const query = new URLSearchParams(location.search);
  return query.has('state') && (query.has('code') || query.has('error'));
};

const completeSignIn = async (): Promise<User> => {
  try {
    const user = await users.signinRedirectCallback();
    freshUser = user;
    history.replaceState(null, '', samePagePath((user.state as Partial<SignInState> | undefined)?.returnTo));
    return user;
  } catch (error) {
    history.replaceState(null, '', location.pathname);
    throw new Error(
      `Sign-in failed: ${error instanceof Error ? error.message : String(error)}. Reload the page to try again.`,
    );
  }
};

/**
 * The signed-in user: completes the provider's redirect back (restoring the URL the reader came
 * for), or takes the one this tab holds, or goes to sign in. Call it before reading the URL.
 */
export const signedIn = (): Promise<User> => {
  current ??= (async () => {
    if (isSignInCallback()) return completeSignIn();
    const user = await users.getUser();
    return user !== null && !user.expired ? user : redirectToSignIn();
  })();
  return current;
};

/** Who is signed in, for the page to show. */
export const signedInEmail = (user: User) => String(user.profile.email ?? user.profile.sub);

/**
 * `fetch` to the API with the ID token. A 401 (expired or revoked) sends the reader to sign in again,
 * unless the token is the one just obtained (then the error is the API's: no loop).
 */
export const signedInFetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
  const user = await signedIn();
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${user.id_token ?? ''}`);
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401 && user !== freshUser) {
    await users.removeUser();
    return redirectToSignIn();
  }
  return response;
};

/** Signs out of the page and of the provider (Cognito's `/logout` when the settings name it). */
export const signOut = async (): Promise<void> => {
  if (settings.logoutUrl !== undefined) {
    await users.removeUser();
    location.assign(settings.logoutUrl);
    return;
  }
  await users.signoutRedirect();
};
