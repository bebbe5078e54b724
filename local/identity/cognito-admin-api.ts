import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod/mini';
import {
  fullScopeName,
  integrationResourceServer,
  integrationScopes,
} from '../../functions/resources/integration-scopes';
import { describeIssues } from '../../functions/schemas/common';
import { AccountExistsError, type StaffAccount, type StaffAccounts } from './accounts';
import type { IntegrationClient, IntegrationClients } from './integration-clients';

/**
 * The part of Cognito's user pool API (`AWSCognitoIdentityProviderService`, AWS JSON 1.1) that
 * `closeloop staff` and the sign-in pages use, over the local provider's accounts, so the same SDK
 * code runs against the local stack and against Cognito. Usernames are the accounts' `sub`, as
 * Cognito generates them when the e-mail is the sign-in name; the e-mail is accepted as a username
 * too. E-mail changes by the user are kept pending until verified with the code sent to the new
 * address (Cognito's `keepOriginal`).
 */
export interface CognitoAdminOptions {
  readonly accounts: StaffAccounts;
  /** The pool's confidential app clients (client credentials), for `closeloop integrations`. */
  readonly integrationClients?: IntegrationClients;
  /** The account (`sub`) an access token of the local provider was issued to; undefined if invalid or expired. */
  readonly resolveAccessToken: (token: string) => Promise<string | undefined>;
  /** Mails a new account its invitation: the temporary password (and where to sign in). */
  readonly sendInvitation: (email: string, temporaryPassword: string) => Promise<void>;
  /** Mails the code that confirms an e-mail change to the new address. */
  readonly sendVerificationCode: (email: string, code: string) => Promise<void>;
  /** The pool id requests must name (default `local`). */
  readonly userPoolId?: string;
  /** The groups that exist in the pool (default `admin`, `marketing`, `managers`). */
  readonly groups?: readonly string[];
}

export const localUserPoolId = 'local';
export const defaultGroups = ['admin', 'marketing', 'managers'] as const;
const targetPrefix = 'AWSCognitoIdentityProviderService.';
const maxBodyBytes = 256 * 1024;
const pageLimit = 60;

/** An error as Cognito names it; sent as `{ __type, message }` with HTTP 400. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new CognitoError('InvalidParameterException', message);
const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');

const Attribute = z.object({ Name: z.string(), Value: z.optional(z.string()) });
const pool = { UserPoolId: z.string() };
const user = { ...pool, Username: z.string().check(z.minLength(1)) };
const token = { AccessToken: z.string().check(z.minLength(1)) };
const page = {
  Limit: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(pageLimit))),
};

const requests = {
  AdminCreateUser: z.object({
    ...user,
    UserAttributes: z.optional(z.array(Attribute)),
    TemporaryPassword: z.optional(z.string()),
    MessageAction: z.optional(z.enum(['RESEND', 'SUPPRESS'])),
    DesiredDeliveryMediums: z.optional(z.array(z.enum(['EMAIL', 'SMS']))),
    ForceAliasCreation: z.optional(z.boolean()),
  }),
  AdminGetUser: z.object(user),
  ListUsers: z.object({
    ...pool,
    ...page,
    Filter: z.optional(z.string()),
    PaginationToken: z.optional(z.string()),
    AttributesToGet: z.optional(z.array(z.string())),
  }),
  AdminUpdateUserAttributes: z.object({ ...user, UserAttributes: z.array(Attribute) }),
  AdminDisableUser: z.object(user),
  AdminEnableUser: z.object(user),
  AdminDeleteUser: z.object(user),
  AdminAddUserToGroup: z.object({ ...user, GroupName: z.string() }),
  AdminRemoveUserFromGroup: z.object({ ...user, GroupName: z.string() }),
  AdminListGroupsForUser: z.object({ ...user, ...page, NextToken: z.optional(z.string()) }),
  ListUsersInGroup: z.object({ ...pool, ...page, GroupName: z.string(), NextToken: z.optional(z.string()) }),
  AdminSetUserPassword: z.object({ ...user, Password: z.string(), Permanent: z.optional(z.boolean()) }),
  CreateUserPoolClient: z.object({
    ...pool,
    ClientName: z.string().check(z.minLength(1), z.maxLength(128)),
    GenerateSecret: z.optional(z.boolean()),
    AllowedOAuthFlows: z.optional(z.array(z.string())),
    AllowedOAuthScopes: z.optional(z.array(z.string())),
    AllowedOAuthFlowsUserPoolClient: z.optional(z.boolean()),
    AccessTokenValidity: z.optional(z.number()),
    TokenValidityUnits: z.optional(z.record(z.string(), z.string())),
    EnableTokenRevocation: z.optional(z.boolean()),
    PreventUserExistenceErrors: z.optional(z.string()),
    SupportedIdentityProviders: z.optional(z.array(z.string())),
  }),
  DescribeUserPoolClient: z.object({ ...pool, ClientId: z.string() }),
  DeleteUserPoolClient: z.object({ ...pool, ClientId: z.string() }),
  ListUserPoolClients: z.object({
    ...pool,
    MaxResults: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(pageLimit))),
    NextToken: z.optional(z.string()),
  }),
  GetUser: z.object(token),
  UpdateUserAttributes: z.object({ ...token, UserAttributes: z.array(Attribute) }),
  VerifyUserAttribute: z.object({ ...token, AttributeName: z.string(), Code: z.string() }),
  GetUserAttributeVerificationCode: z.object({ ...token, AttributeName: z.string() }),
} as const;

type Operation = keyof typeof requests;
type Request<O extends Operation> = z.infer<(typeof requests)[O]>;

/** Operations a user calls with their access token; every other one is an administrator's, signed with AWS credentials. */
const userOperations: ReadonlySet<Operation> = new Set([
  'GetUser',
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'GetUserAttributeVerificationCode',
]);

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const attributesOf = (account: StaffAccount) => [
  { Name: 'sub', Value: account.sub },
  { Name: 'email', Value: account.email },
  { Name: 'email_verified', Value: String(account.emailVerified) },
  ...Object.entries(account.attributes).map(([Name, Value]) => ({ Name, Value })),
];

/** Cognito's UserType (ListUsers, AdminCreateUser, ListUsersInGroup). */
const userType = (account: StaffAccount, only?: readonly string[]) => ({
  Username: account.sub,
  Attributes: attributesOf(account).filter(
    (attribute) => only === undefined || only.includes(attribute.Name),
  ),
  UserCreateDate: epochSeconds(account.createdAt),
  UserLastModifiedDate: epochSeconds(account.updatedAt),
  Enabled: account.enabled,
  UserStatus: account.status,
});

/** A page of `items` from the offset `token` carries (an opaque token, as Cognito's are). */
const paged = <T>(items: readonly T[], limit: number | undefined, token: string | undefined) => {
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw invalid('Invalid pagination token.');
  const end = start + (limit === undefined || limit === 0 ? pageLimit : limit);
  return {
    items: items.slice(start, end),
    next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
};

/** ListUsers' filter: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix). */
const filterOf = (filter: string | undefined): ((account: StaffAccount) => boolean) => {
  if (filter === undefined || filter.trim() === '') return () => true;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (match === null)
    throw invalid(`Invalid filter: ${filter} (expected attribute = "value" or attribute ^= "value").`);
  const [, name, operator, quoted] = match as unknown as [string, string, string, string];
  const wanted = quoted.replace(/\\(.)/g, '$1');
  const readers: Record<string, (account: StaffAccount) => string | undefined> = {
    username: (account) => account.sub,
    sub: (account) => account.sub,
    email: (account) => account.email,
    status: (account) => (account.enabled ? 'Enabled' : 'Disabled'),
    'cognito:user_status': (account) => account.status,
  };
  const read = readers[name] ?? ((account: StaffAccount) => account.attributes[name]);
  if (
    readers[name] === undefined &&
    !/^(name|given_name|family_name|phone_number|preferred_username)$/.test(name)
  )
    throw invalid(`Invalid filter: ${name} is not a searchable attribute.`);
  return (account) => {
    const value = read(account);
    return value !== undefined && (operator === '=' ? value === wanted : value.startsWith(wanted));
  };
};

const plausibleEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());

/** A temporary password meeting Cognito's default policy: upper, lower, digit and symbol. */
const temporaryPassword = () => {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+=?'];
  const chars = sets.flatMap((set) => [0, 1, 2].map(() => set[randomInt(set.length)]));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
};

const checkPassword = (password: string) => {
  if (password.length < 8)
    throw new CognitoError(
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
};

/** Cognito's UserPoolClientType of an integration client (client credentials only, with its secret). */
const clientType = (client: IntegrationClient, userPoolId: string) => ({
  UserPoolId: userPoolId,
  ClientName: client.name,
  ClientId: client.clientId,
  ClientSecret: client.clientSecret,
  CreationDate: epochSeconds(client.createdAt),
  LastModifiedDate: epochSeconds(client.createdAt),
  AllowedOAuthFlows: ['client_credentials'],
  AllowedOAuthScopes: [...client.scopes],
  AllowedOAuthFlowsUserPoolClient: true,
  AccessTokenValidity: 60,
  TokenValidityUnits: { AccessToken: 'minutes' },
  EnableTokenRevocation: true,
  SupportedIdentityProviders: ['COGNITO'],
});

/** The scopes the local pool's resource server (`closeloop`) defines. */
const knownScopes: ReadonlySet<string> = new Set(integrationScopes.map(fullScopeName));

const maskedEmail = (email: string) => email.replace(/^(.)[^@]*/, '$1***');

const verificationCode = () => String(randomInt(1_000_000)).padStart(6, '0');

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new CognitoError('SerializationException', 'The request is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    ...(errorType !== undefined && { 'x-amzn-errortype': errorType }),
  });
  res.end(JSON.stringify(body));
};

/**
 * The handler for `POST /` with `x-amz-target: AWSCognitoIdentityProviderService.<Operation>`: mount
 * it on the local provider's server, and point the SDK's `endpoint` at that server.
 */
export const createCognitoAdminHandler = (options: CognitoAdminOptions) => {
  const { accounts } = options;
  const userPoolId = options.userPoolId ?? localUserPoolId;
  const groups = new Set(options.groups ?? defaultGroups);

  const checkPool = (id: string) => {
    if (id !== userPoolId)
      throw new CognitoError('ResourceNotFoundException', `User pool ${id} does not exist.`);
  };
  const integrationClients = () => {
    if (options.integrationClients === undefined)
      throw new CognitoError('InvalidParameterException', 'This pool has no app clients to manage.');
    return options.integrationClients;
  };
  const namedClient = ({ UserPoolId, ClientId }: { UserPoolId: string; ClientId: string }) => {
    checkPool(UserPoolId);
    const client = integrationClients().find(ClientId);
    if (client === undefined)
      throw new CognitoError('ResourceNotFoundException', `User pool client ${ClientId} does not exist.`);
    return client;
  };
  const checkGroup = (name: string) => {
    if (!groups.has(name)) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
  };
  /** The account a username names: its `sub`, or its e-mail (the sign-in alias). */
  const named = ({ UserPoolId, Username }: { UserPoolId: string; Username: string }) => {
    checkPool(UserPoolId);
    const account = accounts.find(Username) ?? accounts.findByEmail(Username);
    if (account === undefined) throw userNotFound();
    return account;
  };
  const signedIn = async (accessToken: string) => {
    const sub = await options.resolveAccessToken(accessToken);
    const account = sub === undefined ? undefined : accounts.find(sub);
    if (account === undefined) throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    if (!account.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    return account;
  };
  const saving = <T>(change: () => T): T => {
    try {
      return change();
    } catch (error) {
      if (error instanceof AccountExistsError)
        throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
      throw error;
    }
  };
  /** Splits attribute updates into the e-mail, its verified flag, and the rest; refuses what nobody may write. */
  const attributeChanges = (attributes: readonly { Name: string; Value?: string }[]) => {
    let email: string | undefined;
    let emailVerified: boolean | undefined;
    const others: Record<string, string> = {};
    for (const { Name, Value = '' } of attributes) {
      if (Name === 'sub') throw invalid('Cannot modify an immutable attribute: sub');
      if (Name === 'email') {
        if (!plausibleEmail(Value)) throw invalid('Invalid email address format.');
        email = Value.trim().toLowerCase();
      } else if (Name === 'email_verified') emailVerified = Value === 'true';
      else others[Name] = Value;
    }
    return { email, emailVerified, others };
  };
  const startEmailChange = async (account: StaffAccount, email: string) => {
    const holder = accounts.findByEmail(email);
    if (holder !== undefined && holder.sub !== account.sub)
      throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
    const code = verificationCode();
    accounts.update(account.sub, { pendingEmail: { email, code } });
    await options.sendVerificationCode(email, code);
    return { Destination: maskedEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  };

  const operations: { [O in Operation]: (request: Request<O>) => Promise<unknown> | unknown } = {
    async AdminCreateUser(request) {
      checkPool(request.UserPoolId);
      const { email: attributeEmail, emailVerified, others } = attributeChanges(request.UserAttributes ?? []);
      const email = attributeEmail ?? request.Username.trim().toLowerCase();
      if (!plausibleEmail(request.Username)) throw invalid('Username should be an email.');
      if (email !== request.Username.trim().toLowerCase())
        throw invalid('The email attribute must be the same as the username, which is an email.');
      const password = request.TemporaryPassword ?? temporaryPassword();
      checkPassword(password);
      const mediums = request.DesiredDeliveryMediums ?? ['SMS'];
      const mailed = request.MessageAction !== 'SUPPRESS';
      if (mailed && !mediums.includes('EMAIL'))
        throw invalid(
          'User has no attribute matching desired delivery mediums (the local pool mails only: EMAIL).',
        );
      let account: StaffAccount;
      if (request.MessageAction === 'RESEND') {
        account = named(request);
        if (account.status !== 'FORCE_CHANGE_PASSWORD')
          throw new CognitoError(
            'UnsupportedUserStateException',
            'User is not in FORCE_CHANGE_PASSWORD state.',
          );
        account = accounts.setPassword(account.sub, password, false);
      } else {
        if (accounts.findByEmail(email) !== undefined)
          throw new CognitoError(
            'UsernameExistsException',
            'An account with the given email already exists.',
          );
        account = accounts.create({
          email,
          emailVerified: emailVerified ?? false,
          temporaryPassword: password,
          attributes: others,
        });
      }
      if (mailed) await options.sendInvitation(account.email, password);
      return { User: userType(account) };
    },

    AdminGetUser(request) {
      const account = named(request);
      return {
        Username: account.sub,
        UserAttributes: attributesOf(account),
        UserCreateDate: epochSeconds(account.createdAt),
        UserLastModifiedDate: epochSeconds(account.updatedAt),
        Enabled: account.enabled,
        UserStatus: account.status,
      };
    },

    ListUsers(request) {
      checkPool(request.UserPoolId);
      const { items, next } = paged(
        accounts.list().filter(filterOf(request.Filter)),
        request.Limit,
        request.PaginationToken,
      );
      return {
        Users: items.map((account) => userType(account, request.AttributesToGet)),
        ...(next !== undefined && { PaginationToken: next }),
      };
    },

    AdminUpdateUserAttributes(request) {
      const account = named(request);
      const { email, emailVerified, others } = attributeChanges(request.UserAttributes);
      const changesEmail = email !== undefined && email !== account.email;
      // As Cognito with keepOriginal: an administrator's e-mail change counts at once only when it says
      // the address is verified; otherwise the old address stays until the new one is verified.
      if (changesEmail && emailVerified !== true) return startEmailChange(account, email).then(() => ({}));
      saving(() =>
        accounts.update(account.sub, {
          ...(changesEmail && { email, pendingEmail: undefined }),
          ...(emailVerified !== undefined && { emailVerified }),
          attributes: { ...account.attributes, ...others },
        }),
      );
      return {};
    },

    AdminDisableUser(request) {
      accounts.update(named(request).sub, { enabled: false });
      return {};
    },

    AdminEnableUser(request) {
      accounts.update(named(request).sub, { enabled: true });
      return {};
    },

    AdminDeleteUser(request) {
      accounts.delete(named(request).sub);
      return {};
    },

    AdminAddUserToGroup(request) {
      const account = named(request);
      checkGroup(request.GroupName);
      if (!account.groups.includes(request.GroupName))
        accounts.update(account.sub, { groups: [...account.groups, request.GroupName] });
      return {};
    },

    AdminRemoveUserFromGroup(request) {
      const account = named(request);
      checkGroup(request.GroupName);
      accounts.update(account.sub, { groups: account.groups.filter((group) => group !== request.GroupName) });
      return {};
    },

    AdminListGroupsForUser(request) {
      const account = named(request);
      const { items, next } = paged(account.groups, request.Limit, request.NextToken);
      return {
        Groups: items.map((GroupName) => ({ GroupName, UserPoolId: userPoolId })),
        ...(next !== undefined && { NextToken: next }),
      };
    },

    ListUsersInGroup(request) {
      checkPool(request.UserPoolId);
      checkGroup(request.GroupName);
      const members = accounts.list().filter((account) => account.groups.includes(request.GroupName));
      const { items, next } = paged(members, request.Limit, request.NextToken);
      return {
        Users: items.map((account) => userType(account)),
        ...(next !== undefined && { NextToken: next }),
      };
    },

    AdminSetUserPassword(request) {
      const account = named(request);
      checkPassword(request.Password);
      accounts.setPassword(account.sub, request.Password, request.Permanent === true);
      return {};
    },

    // The local pool's app clients are the integrations' only: the staff pages' client is fixed.
    CreateUserPoolClient(request) {
      checkPool(request.UserPoolId);
      const flows = request.AllowedOAuthFlows ?? [];
      if (flows.length !== 1 || flows[0] !== 'client_credentials' || request.GenerateSecret !== true)
        throw invalid(
          'The local pool creates integration clients only: AllowedOAuthFlows ["client_credentials"] with GenerateSecret.',
        );
      if (request.AllowedOAuthFlowsUserPoolClient !== true)
        throw invalid('AllowedOAuthFlowsUserPoolClient must be true to use OAuth flows.');
      const scopes = request.AllowedOAuthScopes ?? [];
      if (scopes.length === 0) throw invalid('client_credentials flow needs at least one custom scope.');
      const unknown = scopes.find((scope) => !knownScopes.has(scope));
      if (unknown !== undefined)
        throw new CognitoError(
          'ScopeDoesNotExistException',
          `Invalid scope requested: ${unknown} (the resource server ${integrationResourceServer} has ${[...knownScopes].join(', ')}).`,
        );
      const client = integrationClients().create(request.ClientName, [...new Set(scopes)]);
      return { UserPoolClient: clientType(client, userPoolId) };
    },

    DescribeUserPoolClient(request) {
      return { UserPoolClient: clientType(namedClient(request), userPoolId) };
    },

    DeleteUserPoolClient(request) {
      integrationClients().delete(namedClient(request).clientId);
      return {};
    },

    ListUserPoolClients(request) {
      checkPool(request.UserPoolId);
      const { items, next } = paged(integrationClients().list(), request.MaxResults, request.NextToken);
      return {
        UserPoolClients: items.map((client) => ({
          ClientId: client.clientId,
          UserPoolId: userPoolId,
          ClientName: client.name,
        })),
        ...(next !== undefined && { NextToken: next }),
      };
    },

    async GetUser(request) {
      const account = await signedIn(request.AccessToken);
      return { Username: account.sub, UserAttributes: attributesOf(account) };
    },

    async UpdateUserAttributes(request) {
      const account = await signedIn(request.AccessToken);
      if (request.UserAttributes.some(({ Name }) => Name === 'email_verified'))
        throw new CognitoError(
          'NotAuthorizedException',
          'A client attempted to write unauthorized attribute',
        );
      const { email, others } = attributeChanges(request.UserAttributes);
      accounts.update(account.sub, { attributes: { ...account.attributes, ...others } });
      if (email === undefined || email === account.email) return {};
      return { CodeDeliveryDetailsList: [await startEmailChange(account, email)] };
    },

    async VerifyUserAttribute(request) {
      const account = await signedIn(request.AccessToken);
      if (request.AttributeName !== 'email') throw invalid(`Cannot verify ${request.AttributeName}.`);
      const pending = account.pendingEmail;
      if (pending === undefined) {
        if (account.emailVerified) return {};
        throw new CognitoError(
          'CodeMismatchException',
          'Invalid verification code provided, please try again.',
        );
      }
      if (pending.code !== request.Code.trim())
        throw new CognitoError(
          'CodeMismatchException',
          'Invalid verification code provided, please try again.',
        );
      saving(() =>
        accounts.update(account.sub, { email: pending.email, emailVerified: true, pendingEmail: undefined }),
      );
      return {};
    },

    async GetUserAttributeVerificationCode(request) {
      const account = await signedIn(request.AccessToken);
      if (request.AttributeName !== 'email') throw invalid(`Cannot verify ${request.AttributeName}.`);
      return {
        CodeDeliveryDetails: await startEmailChange(account, account.pendingEmail?.email ?? account.email),
      };
    },
  };

  const dispatch = async (req: IncomingMessage) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const name = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : '';
    if (!Object.hasOwn(operations, name))
      throw new CognitoError(
        'UnknownOperationException',
        `Unknown operation ${target || '(no x-amz-target)'}.`,
      );
    const operation = name as Operation;
    if (
      !userOperations.has(operation) &&
      !/^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization ?? '')
    )
      throw new CognitoError(
        'MissingAuthenticationTokenException',
        `${operation} needs a request signed with AWS credentials.`,
      );
    let body: unknown;
    try {
      const text = await readBody(req);
      body = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      if (error instanceof CognitoError) throw error;
      throw new CognitoError('SerializationException', 'The request body is not valid JSON.');
    }
    const parsed = requests[operation].safeParse(body);
    if (!parsed.success) throw invalid(`${operation}: ${describeIssues(parsed.error.issues).join('; ')}`);
    return (operations[operation] as (request: unknown) => unknown)(parsed.data);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      send(res, 200, (await dispatch(req)) ?? {});
    } catch (error) {
      if (error instanceof CognitoError) {
        send(res, 400, { __type: error.type, message: error.message }, error.type);
        return;
      }
      send(
        res,
        500,
        { __type: 'InternalErrorException', message: 'Internal error.' },
        'InternalErrorException',
      );
    }
  };
};
