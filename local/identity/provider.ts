import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import Provider, {
  type Configuration,
  errors,
  type Interaction,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
import {
  fullScopeName,
  integrationResourceServer,
  integrationScopes,
} from '../../functions/resources/integration-scopes';
import type { StaffAccounts } from './accounts';
import { staffClientId, staffScope } from './client';
import { createCognitoAdminHandler } from './cognito-admin-api';
import { IntegrationClients } from './integration-clients';
import { providerKeys } from './keys';
import {
  errorPage,
  newPasswordPage,
  passwordPolicyProblem,
  signedOutPage,
  signInPage,
  signOutPage,
} from './pages';
import type { StaffMail } from './staff-mail';

/** The pages the provider sends people back to: `{apiUrl}/m` and `{apiUrl}/d` on any loopback port. */
const pagePaths = ['/m', '/d'] as const;
const loopbackOrigins = ['http://127.0.0.1', 'http://localhost'] as const;

/** What a Cognito-compatible admin API mounted on the provider's server is given. */
export interface CognitoAdminDeps {
  readonly accounts: StaffAccounts;
  readonly integrationClients: IntegrationClients;
  /** The `sub` of the account an access token of this provider was issued to, if it is still valid. */
  readonly resolveAccessToken: (token: string) => Promise<string | undefined>;
}
export type CognitoAdminHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface IdentityProvider {
  /** The issuer, as in the tokens' `iss` and the discovery document (`{issuerUrl}/.well-known/…`). */
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly accounts: StaffAccounts;
  /** Confidential clients of integrations (client credentials grant), as Cognito's app clients. */
  readonly integrationClients: IntegrationClients;
  readonly resolveAccessToken: CognitoAdminDeps['resolveAccessToken'];
  stop(): Promise<void>;
}

const isLoopbackOrigin = (origin: string) => {
  const url = URL.parse(origin);
  return url !== null && url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname);
};

/**
 * Sign in, and nothing more: oidc-provider asks anyone using a native client to consent (RFC 8252
 * §8.6, against other apps claiming the same redirect), but our one client is the stack's own pages.
 */
const firstPartyPolicy = () => {
  const policy = interactionPolicy.base();
  policy.get('consent')?.checks.remove('native_client_prompt');
  return policy;
};

/**
 * The resource indicator (RFC 8707) of integration tokens: a Cognito client asks for none, so the
 * provider gives every client credentials request this one; its tokens' `aud` is the resource
 * server's identifier, `closeloop`.
 */
const integrationResource = `urn:${integrationResourceServer}`;

/** An integration client's metadata as oidc-provider reads it: client credentials only, a secret. */
const clientMetadataOf = (clients: IntegrationClients, id: string) => {
  const client = clients.find(id);
  return (
    client && {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      client_name: client.name,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: client.scopes.join(' '),
    }
  );
};

/** The stack-lifetime store, but clients beyond the staff pages' come from the integration clients. */
const storeFor = (clients: IntegrationClients) => (model: string) =>
  model === 'Client'
    ? { find: async (id: string) => clientMetadataOf(clients, id) }
    : new StackLifetimeStore(model);

// oidc-provider's own in-memory store, under a name of ours: it warns about its own.
class StackLifetimeStore extends MemoryAdapter {}

/** Cognito's ID token: `sub`, the e-mail and its verified flag, the groups when there are any, `token_use`. */
const configuration = (
  accounts: StaffAccounts,
  keys: Awaited<ReturnType<typeof providerKeys>>,
  integrationClients: IntegrationClients,
) =>
  ({
    clients: [
      {
        client_id: staffClientId,
        client_name: 'closeloop staff pages',
        // A native client: RFC 8252 §7.3 loopback redirects, matched on any port, so the pages of any
        // local API (`npm start` on 3000 or a free port, each test file's own) share the one provider.
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: loopbackOrigins.flatMap((origin) => pagePaths.map((path) => `${origin}${path}`)),
        post_logout_redirect_uris: loopbackOrigins.flatMap((origin) =>
          pagePaths.map((path) => `${origin}${path}`),
        ),
      },
    ],
    // Sessions, codes and tokens live as long as the stack, as everything else of `npm start` does by
    // default; integration clients as long as their store keeps them.
    adapter: storeFor(integrationClients),
    scopes: ['openid', 'offline_access', ...integrationScopes.map(fullScopeName)],
    responseTypes: ['code'],
    pkce: { required: () => true },
    // The browser's token request comes from the page's origin.
    clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string) => isLoopbackOrigin(origin),
    jwks: { keys: [keys.signingKey] },
    cookies: { keys: [...keys.cookieKeys] },
    claims: {
      openid: ['sub', 'token_use', 'cognito:groups', 'cognito:username'],
      email: ['email', 'email_verified'],
    },
    // The claims of the granted scopes go into the ID token, as Cognito's do (the functions read them).
    conformIdTokenClaims: false,
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => {
      const account = accounts.find(sub);
      if (account === undefined || !account.enabled) return undefined;
      return {
        accountId: sub,
        claims: async (use: string) => {
          const current = accounts.find(sub) ?? account;
          return {
            sub,
            email: current.email,
            email_verified: current.emailVerified,
            'cognito:username': sub,
            ...(current.groups.length > 0 && { 'cognito:groups': [...current.groups] }),
            ...(use === 'id_token' && { token_use: 'id' }),
          };
        },
      };
    },
    // A first-party client: nobody is asked to consent to the pages reading their own e-mail.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (client === undefined || session?.accountId === undefined) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(staffScope);
      await grant.save();
      return grant;
    },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: Interaction) => `/interaction/${interaction.uid}`,
      policy: firstPartyPolicy(),
    },
    features: {
      devInteractions: { enabled: false },
      // Integrations (a CRM) get access tokens with their client id and secret, as from Cognito.
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: KoaContextWithOIDC, client: { grantTypes?: string[] }) =>
          client.grantTypes?.includes('client_credentials') ? integrationResource : undefined,
        getResourceServerInfo: async (
          _ctx: KoaContextWithOIDC,
          resource: string,
          client: { scope?: string },
        ) => {
          if (resource !== integrationResource)
            throw new errors.InvalidTarget(`unknown resource ${resource}: ask for ${integrationResource}`);
          return {
            scope: client.scope ?? '',
            audience: integrationResourceServer,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
        useGrantedResource: async () => false,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = signOutPage(form);
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = signedOutPage();
        },
      },
    },
    formats: {
      customizers: {
        // Cognito's access tokens say what they are, and carry every scope of the client when the
        // request named none.
        jwt: async (
          _ctx: KoaContextWithOIDC,
          token: { kind: string; client?: { scope?: string } },
          jwt: { payload: Record<string, unknown> },
        ) => {
          jwt.payload.token_use = 'access';
          if (token.kind === 'ClientCredentials' && jwt.payload.scope === undefined)
            jwt.payload.scope = token.client?.scope;
        },
      },
    },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = errorPage(
        'Sign-in error',
        String(out.error_description ?? out.error ?? 'Something went wrong.'),
      );
    },
    // Cognito's defaults: ID and access tokens last an hour.
    ttl: {
      IdToken: 3600,
      AccessToken: 3600,
      ClientCredentials: 3600,
      AuthorizationCode: 300,
      Interaction: 3600,
      Session: 86_400,
      Grant: 86_400,
    },
  }) satisfies Configuration;

const readForm = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

const sendHtml = (response: ServerResponse, status: number, html: string) => {
  response
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    .end(html);
};

/**
 * The login form's routes: `GET /interaction/{uid}` shows it, `POST …/login` checks the e-mail and
 * password (a disabled account is refused like a wrong password), and an account still on its
 * temporary password (`FORCE_CHANGE_PASSWORD`) chooses a new one (`POST …/new-password`) first.
 */
const interactionRoutes = (provider: Provider, accounts: StaffAccounts) => {
  /** Interactions whose account proved its temporary password and must now choose its own. */
  const awaitingNewPassword = new Map<string, string>();
  return async (request: IncomingMessage, response: ServerResponse, path: string) => {
    const [, , uid = '', step = ''] = path.split('/');
    let interaction: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      interaction = await provider.interactionDetails(request, response);
      if (interaction.uid !== uid) throw new Error('another interaction');
    } catch {
      return sendHtml(
        response,
        400,
        errorPage(
          'Sign-in expired',
          'This sign-in has expired. Go back to the page you opened and try again.',
        ),
      );
    }
    const login = `/interaction/${uid}/login`;
    const newPassword = `/interaction/${uid}/new-password`;
    const finish = (sub: string) => {
      awaitingNewPassword.delete(uid);
      return provider.interactionFinished(
        request,
        response,
        { login: { accountId: sub } },
        {
          mergeWithLastSubmission: false,
        },
      );
    };
    if (request.method === 'GET' && step === '') return sendHtml(response, 200, signInPage(login));
    if (request.method === 'POST' && step === 'login') {
      const form = await readForm(request);
      const email = form.get('email')?.trim() ?? '';
      const account = accounts.authenticate(email, form.get('password') ?? '');
      if (account === undefined) {
        return sendHtml(
          response,
          401,
          signInPage(login, { email, error: 'Incorrect e-mail address or password.' }),
        );
      }
      if (account.status === 'FORCE_CHANGE_PASSWORD') {
        awaitingNewPassword.set(uid, account.sub);
        return sendHtml(response, 200, newPasswordPage(newPassword));
      }
      return finish(account.sub);
    }
    if (request.method === 'POST' && step === 'new-password') {
      const sub = awaitingNewPassword.get(uid);
      if (sub === undefined) return sendHtml(response, 400, signInPage(login, { error: 'Sign in first.' }));
      const form = await readForm(request);
      const password = form.get('newPassword') ?? '';
      const problem =
        password !== form.get('confirmPassword')
          ? 'The two passwords differ.'
          : passwordPolicyProblem(password);
      if (problem !== undefined)
        return sendHtml(response, 400, newPasswordPage(newPassword, { error: problem }));
      accounts.setPassword(sub, password, true);
      return finish(sub);
    }
    return sendHtml(response, 404, errorPage('Not found', 'There is no such page.'));
  };
};

const isCognitoAdminRequest = (request: IncomingMessage, path: string) => {
  const target = request.headers['x-amz-target'];
  return (
    request.method === 'POST' &&
    path === '/' &&
    typeof target === 'string' &&
    target.startsWith('AWSCognitoIdentityProviderService.')
  );
};

/**
 * The local stand-in for the Cognito user pool: a real OpenID Connect provider (oidc-provider) on
 * 127.0.0.1 with its own login form, one public client using the authorization code flow with PKCE
 * (S256) and no implicit flow, and ID tokens shaped as Cognito's, signed with RS256. With `dataDir`
 * its accounts and keys are kept there; else in memory. The same server answers Cognito's admin API
 * (`POST /` with `x-amz-target: AWSCognitoIdentityProviderService.*`) on the same accounts.
 */
export const startIdentityProvider = async ({
  accounts,
  integrationClients = new IntegrationClients(),
  mail,
  dataDir,
  port,
}: {
  readonly accounts: StaffAccounts;
  /** Integration clients (default: none yet, in memory). */
  readonly integrationClients?: IntegrationClients;
  /** How invitations and e-mail verification codes are sent, as Cognito sends its own. */
  readonly mail: StaffMail;
  readonly dataDir?: string;
  readonly port?: number;
}): Promise<IdentityProvider> => {
  let handle: (request: IncomingMessage, response: ServerResponse) => Promise<void> = async (_, response) => {
    response.writeHead(503).end();
  };
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const issuerUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}`;
  const keys = await providerKeys(dataDir === undefined ? undefined : join(dataDir, 'identity-keys.json'));
  const provider = new Provider(issuerUrl, configuration(accounts, keys, integrationClients));
  const resolveAccessToken = async (token: string) => (await provider.AccessToken.find(token))?.accountId;
  const adminApi: CognitoAdminHandler = createCognitoAdminHandler({
    accounts,
    integrationClients,
    resolveAccessToken,
    ...mail,
  });
  const interactions = interactionRoutes(provider, accounts);
  const oidc = provider.callback();

  handle = async (request, response) => {
    const path = URL.parse(request.url ?? '/', issuerUrl)?.pathname ?? '/';
    try {
      // Browsers ask every origin for an icon; an empty answer keeps their consoles free of 404s.
      if (path === '/favicon.ico') return void response.writeHead(204).end();
      if (isCognitoAdminRequest(request, path)) return await adminApi(request, response);
      if (path.startsWith('/interaction/')) return await interactions(request, response, path);
      return oidc(request, response);
    } catch (error) {
      console.error('local identity provider:', error);
      if (!response.headersSent) sendHtml(response, 500, errorPage('Error', 'Something went wrong.'));
    }
  };
  return {
    issuerUrl,
    clientId: staffClientId,
    accounts,
    integrationClients,
    resolveAccessToken,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
