import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountExistsError, type StaffAccount } from './accounts';
import type { CognitoAdminDeps, CognitoAdminHandler } from './provider';

/**
 * A stand-in for the Cognito-compatible admin API (`local/identity/cognito-admin-api.ts`, written
 * apart): just the three calls the tests need to create a signed-in user through the provider
 * (`AdminCreateUser`, `AdminSetUserPassword`, `AdminAddUserToGroup`), in AWS JSON 1.1 as the SDK's
 * Cognito client speaks it; anything else answers 501 `NotImplemented`.
 */
const send = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
};

const fail = (response: ServerResponse, status: number, type: string, message: string) =>
  send(response, status, { __type: type, message });

const readJson = async (request: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
};

const userOf = (account: StaffAccount) => ({
  Username: account.sub,
  Attributes: [
    { Name: 'sub', Value: account.sub },
    { Name: 'email', Value: account.email },
    { Name: 'email_verified', Value: String(account.emailVerified) },
  ],
  Enabled: account.enabled,
  UserStatus: account.status,
  UserCreateDate: Date.parse(account.createdAt) / 1000,
  UserLastModifiedDate: Date.parse(account.updatedAt) / 1000,
});

export const createCognitoAdminHandler =
  ({ accounts }: CognitoAdminDeps): CognitoAdminHandler =>
  async (request, response) => {
    const action = String(request.headers['x-amz-target']).split('.')[1] ?? '';
    let input: Record<string, unknown>;
    try {
      input = await readJson(request);
    } catch {
      return fail(response, 400, 'InvalidParameterException', 'The request body is not JSON.');
    }
    const username = typeof input.Username === 'string' ? input.Username : '';
    const find = () => accounts.find(username) ?? accounts.findByEmail(username);
    const notFound = () => fail(response, 400, 'UserNotFoundException', 'User does not exist.');
    if (action === 'AdminCreateUser') {
      const attributes = new Map(
        ((input.UserAttributes ?? []) as { Name: string; Value: string }[]).map((a) => [a.Name, a.Value]),
      );
      try {
        const account = accounts.create({
          email: attributes.get('email') ?? username,
          emailVerified: attributes.get('email_verified') === 'true',
          ...(typeof input.TemporaryPassword === 'string' && { temporaryPassword: input.TemporaryPassword }),
        });
        return send(response, 200, { User: userOf(account) });
      } catch (error) {
        if (error instanceof AccountExistsError)
          return fail(
            response,
            400,
            'UsernameExistsException',
            'An account with the given email already exists.',
          );
        throw error;
      }
    }
    if (action === 'AdminSetUserPassword') {
      const account = find();
      if (account === undefined) return notFound();
      accounts.setPassword(account.sub, String(input.Password ?? ''), input.Permanent === true);
      return send(response, 200, {});
    }
    if (action === 'AdminAddUserToGroup') {
      const account = find();
      if (account === undefined) return notFound();
      const group = String(input.GroupName ?? '');
      if (!account.groups.includes(group))
        accounts.update(account.sub, { groups: [...account.groups, group] });
      return send(response, 200, {});
    }
    return fail(response, 501, 'NotImplemented', `${action} is not implemented by the local provider yet.`);
  };
