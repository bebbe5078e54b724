import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { staffScope } from './client';

/** The sign-in failed: the form's own message (wrong password, disabled account, new password needed). */
export class SignInError extends Error {}

export interface StaffTokens {
  readonly idToken: string;
  readonly accessToken: string;
  /** Seconds the tokens last from now. */
  readonly expiresIn: number;
}

const Discovery = z.object({ authorization_endpoint: z.url(), token_endpoint: z.url() });
const TokenResponse = z.object({ id_token: z.string(), access_token: z.string(), expires_in: z.number() });

/** The cookies of one sign-in, as a browser keeps them (paths aside: the provider ignores extra ones). */
const cookieJar = () => {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    keep(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
  };
};

const formAction = (html: string) =>
  /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
const formError = (html: string) => /role="alert"[^>]*>([^<]*)</.exec(html)?.[1];

/**
 * Signs in as a person does, over HTTP: the authorization code flow with PKCE (S256) against the
 * local provider's own login form (e-mail and password; with `newPassword`, the new-password form an
 * account on a temporary password gets), then the code exchanged for the tokens at the token
 * endpoint. `redirectUri` is one of the pages' (`{apiUrl}/d` by default on any local port).
 */
export const signInThroughForm = async ({
  issuerUrl,
  clientId,
  email,
  password,
  newPassword,
  redirectUri = 'http://127.0.0.1/d',
  scope = staffScope,
}: {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly email: string;
  readonly password: string;
  readonly newPassword?: string;
  readonly redirectUri?: string;
  /** The pages' (`openid email`) unless said otherwise. */
  readonly scope?: string;
}): Promise<StaffTokens> => {
  const discoveryResponse = await fetch(`${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`);
  if (!discoveryResponse.ok)
    throw new SignInError(
      `no OpenID provider at ${issuerUrl} (discovery answered ${discoveryResponse.status})`,
    );
  const discovery = Discovery.parse(await discoveryResponse.json());
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorization = new URL(discovery.authorization_endpoint);
  authorization.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope,
    redirect_uri: redirectUri,
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const jar = cookieJar();
  /** Follows the provider's redirects until a page to fill in, or the way back to the client. */
  const follow = async (first: Response) => {
    let response = first;
    for (let hops = 0; hops < 10; hops += 1) {
      jar.keep(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return { response };
      const next = new URL(location, response.url || issuerUrl);
      if (next.href.startsWith(redirectUri)) return { response, callback: next };
      response = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    }
    throw new SignInError('the provider redirected too many times');
  };
  const submit = async (html: string, fields: Record<string, string>) => {
    const action = formAction(html);
    if (action === undefined)
      throw new SignInError(formError(html) ?? 'the provider showed no form to sign in');
    return follow(
      await fetch(new URL(action, issuerUrl), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      }),
    );
  };

  let step = await follow(await fetch(authorization, { redirect: 'manual' }));
  if (step.callback === undefined) step = await submit(await step.response.text(), { email, password });
  if (step.callback === undefined) {
    const html = await step.response.text();
    if (!/name="newPassword"/.test(html))
      throw new SignInError(formError(html) ?? `the sign-in failed (${step.response.status})`);
    if (newPassword === undefined)
      throw new SignInError(`${email} signs in with a temporary password and must choose a new one`);
    step = await submit(html, { newPassword, confirmPassword: newPassword });
    if (step.callback === undefined)
      throw new SignInError(formError(await step.response.text()) ?? 'the sign-in failed');
  }
  const { callback } = step;
  const error = callback.searchParams.get('error');
  if (error !== null) throw new SignInError(callback.searchParams.get('error_description') ?? error);
  const code = callback.searchParams.get('code');
  if (code === null || callback.searchParams.get('state') !== state)
    throw new SignInError('the provider came back without a code for this sign-in');

  const tokenResponse = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
    }),
  });
  if (!tokenResponse.ok)
    throw new SignInError(`the token endpoint refused the code: ${await tokenResponse.text()}`);
  const tokens = TokenResponse.parse(await tokenResponse.json());
  return { idToken: tokens.id_token, accessToken: tokens.access_token, expiresIn: tokens.expires_in };
};
