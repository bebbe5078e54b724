import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  GetUserCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../support/local-stack';
import { sentEmails } from '../support/ses-store';
import { startStaffDirectoryServer } from '../support/staff-directory-server';

let directory: Awaited<ReturnType<typeof startStaffDirectoryServer>>;
const domain = `${uniquePrefix('pool')}.example.com`;
const UserPoolId = 'local';

const attribute = (attributes: { Name?: string; Value?: string }[] | undefined, name: string) =>
  attributes?.find((candidate) => candidate.Name === name)?.Value;

const mailsTo = (address: string) => sentEmails((to) => to === address);

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the call to fail');
};

beforeAll(async () => {
  directory = await startStaffDirectoryServer();
});

afterAll(async () => {
  await directory?.close();
});

describe('the local Cognito admin API, through the real SDK', () => {
  it('creates a user by e-mail, names it by a generated sub, and mails the invitation through SES', async () => {
    const email = `ann@${domain}`;
    const { User } = await directory.client.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );

    expect(User?.Username).toMatch(/^[0-9a-f-]{36}$/);
    expect(attribute(User?.Attributes, 'sub')).toBe(User?.Username);
    expect(User).toMatchObject({ Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(User?.UserCreateDate).toBeInstanceOf(Date);
    const [invitation] = await mailsTo(email);
    expect(invitation?.subject).toBe('Your closeloop staff account');
    const temporary = /Temporary password: (\S+)/.exec(invitation?.body.text ?? '')?.[1] ?? '';
    expect(invitation?.body.text).toContain('http://127.0.0.1:3000/m');
    expect(directory.accounts.authenticate(email, temporary)?.sub).toBe(User?.Username);

    const byEmail = await directory.client.send(new AdminGetUserCommand({ UserPoolId, Username: email }));
    expect(byEmail).toMatchObject({ Username: User?.Username, Enabled: true });
    expect(attribute(byEmail.UserAttributes, 'email_verified')).toBe('true');
  });

  it('refuses a second account for the same address, and unknown users, as Cognito names it', async () => {
    const email = `bob@${domain}`;
    const create = () =>
      directory.client.send(
        new AdminCreateUserCommand({ UserPoolId, Username: email, MessageAction: 'SUPPRESS' }),
      );
    await create();
    expect(await errorOf(create())).toMatchObject({ name: 'UsernameExistsException' });
    expect(
      await errorOf(directory.client.send(new AdminGetUserCommand({ UserPoolId, Username: 'nobody' }))),
    ).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(
      await errorOf(
        directory.client.send(new AdminGetUserCommand({ UserPoolId: 'eu-west-1_x', Username: email })),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(
      await errorOf(
        directory.client.send(new AdminCreateUserCommand({ UserPoolId, Username: 'not an address' })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException' });
    expect(await mailsTo(email)).toEqual([]);
  });

  it('finds users by e-mail filter, page by page', async () => {
    for (const name of ['p1', 'p2', 'p3'])
      await directory.client.send(
        new AdminCreateUserCommand({ UserPoolId, Username: `${name}@${domain}`, MessageAction: 'SUPPRESS' }),
      );
    const found = await directory.client.send(
      new ListUsersCommand({ UserPoolId, Filter: `email = "p2@${domain}"` }),
    );
    expect(found.Users?.map((user) => attribute(user.Attributes, 'email'))).toEqual([`p2@${domain}`]);

    const emails: string[] = [];
    let PaginationToken: string | undefined;
    do {
      const page = await directory.client.send(
        new ListUsersCommand({ UserPoolId, Filter: `email ^= "p"`, Limit: 2, PaginationToken }),
      );
      expect(page.Users?.length).toBeLessThanOrEqual(2);
      emails.push(...(page.Users ?? []).map((user) => attribute(user.Attributes, 'email') ?? ''));
      PaginationToken = page.PaginationToken;
    } while (PaginationToken);
    expect(emails.filter((email) => email.endsWith(domain))).toEqual([
      `p1@${domain}`,
      `p2@${domain}`,
      `p3@${domain}`,
    ]);
    expect(
      await errorOf(directory.client.send(new ListUsersCommand({ UserPoolId, Filter: 'email contains x' }))),
    ).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('manages groups, enabling, passwords and deletion', async () => {
    const email = `cat@${domain}`;
    const { User } = await directory.client.send(
      new AdminCreateUserCommand({ UserPoolId, Username: email, MessageAction: 'SUPPRESS' }),
    );
    const Username = User?.Username ?? '';
    await directory.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: 'marketing' }),
    );
    await directory.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: 'marketing' }),
    );
    await directory.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: 'managers' }),
    );
    const groups = await directory.client.send(new AdminListGroupsForUserCommand({ UserPoolId, Username }));
    expect(groups.Groups?.map((group) => group.GroupName)).toEqual(['marketing', 'managers']);
    const members = await directory.client.send(
      new ListUsersInGroupCommand({ UserPoolId, GroupName: 'marketing' }),
    );
    expect(members.Users?.map((user) => user.Username)).toContain(Username);
    await directory.client.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName: 'managers' }),
    );
    expect(directory.accounts.find(Username)?.groups).toEqual(['marketing']);
    expect(
      await errorOf(
        directory.client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: 'owners' })),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });

    await directory.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId,
        Username: email,
        Password: 'Correct-Horse-9',
        Permanent: true,
      }),
    );
    expect(directory.accounts.find(Username)?.status).toBe('CONFIRMED');
    expect(directory.accounts.authenticate(email, 'Correct-Horse-9')?.sub).toBe(Username);
    expect(
      await errorOf(
        directory.client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username, Password: 'short' })),
      ),
    ).toMatchObject({ name: 'InvalidPasswordException' });

    await directory.client.send(new AdminDisableUserCommand({ UserPoolId, Username }));
    expect(directory.accounts.authenticate(email, 'Correct-Horse-9')).toBeUndefined();
    await directory.client.send(new AdminEnableUserCommand({ UserPoolId, Username }));
    expect(directory.accounts.authenticate(email, 'Correct-Horse-9')?.sub).toBe(Username);

    await directory.client.send(new AdminDeleteUserCommand({ UserPoolId, Username }));
    expect(
      await errorOf(directory.client.send(new AdminGetUserCommand({ UserPoolId, Username }))),
    ).toMatchObject({ name: 'UserNotFoundException' });
  });

  it('keeps a user’s e-mail until the change is verified with the mailed code', async () => {
    const email = `dan@${domain}`;
    const newEmail = `dan.new@${domain}`;
    const { User } = await directory.client.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        MessageAction: 'SUPPRESS',
      }),
    );
    const sub = User?.Username ?? '';
    directory.tokens.set('dan-token', sub);
    const AccessToken = 'dan-token';

    const change = await directory.client.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: newEmail }] }),
    );
    expect(change.CodeDeliveryDetailsList).toEqual([
      { Destination: `d***@${domain}`, DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    ]);
    const stillOld = await directory.client.send(new GetUserCommand({ AccessToken }));
    expect(attribute(stillOld.UserAttributes, 'email')).toBe(email);
    expect(attribute(stillOld.UserAttributes, 'email_verified')).toBe('true');

    expect(
      await errorOf(
        directory.client.send(
          new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: 'nope' }),
        ),
      ),
    ).toMatchObject({ name: 'CodeMismatchException' });
    const [codeMail] = await mailsTo(newEmail);
    const code = /code: (\d{6})/.exec(codeMail?.body.text ?? '')?.[1] ?? '';
    await directory.client.send(
      new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code }),
    );
    const changed = await directory.client.send(new GetUserCommand({ AccessToken }));
    expect(attribute(changed.UserAttributes, 'email')).toBe(newEmail);
    expect(directory.accounts.find(sub)?.sub).toBe(sub);
  });

  it('refuses a user writing email_verified or someone else’s address, and unknown tokens', async () => {
    const { User } = await directory.client.send(
      new AdminCreateUserCommand({ UserPoolId, Username: `eve@${domain}`, MessageAction: 'SUPPRESS' }),
    );
    directory.tokens.set('eve-token', User?.Username ?? '');
    const AccessToken = 'eve-token';
    expect(
      await errorOf(
        directory.client.send(
          new UpdateUserAttributesCommand({
            AccessToken,
            UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'NotAuthorizedException' });
    expect(
      await errorOf(
        directory.client.send(
          new UpdateUserAttributesCommand({
            AccessToken,
            UserAttributes: [{ Name: 'email', Value: `ann@${domain}` }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'AliasExistsException' });
    expect(await errorOf(directory.client.send(new GetUserCommand({ AccessToken: 'forged' })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
  });

  it('lets an administrator change an address at once only by saying it is verified', async () => {
    const { User } = await directory.client.send(
      new AdminCreateUserCommand({ UserPoolId, Username: `fay@${domain}`, MessageAction: 'SUPPRESS' }),
    );
    const Username = User?.Username ?? '';
    await directory.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username,
        UserAttributes: [{ Name: 'email', Value: `fay.pending@${domain}` }],
      }),
    );
    expect(directory.accounts.find(Username)?.email).toBe(`fay@${domain}`);
    await directory.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username,
        UserAttributes: [
          { Name: 'email', Value: `fay.new@${domain}` },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'locale', Value: 'fr' },
        ],
      }),
    );
    expect(directory.accounts.find(Username)).toMatchObject({
      email: `fay.new@${domain}`,
      emailVerified: true,
      attributes: { locale: 'fr' },
    });
  });

  it('refuses unsigned administration, unknown operations and bad bodies with 400 and a Cognito error', async () => {
    const post = (target: string, body: string, authorization?: string) =>
      fetch(directory.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
          ...(authorization !== undefined && { authorization }),
        },
        body,
      });
    const signed = 'AWS4-HMAC-SHA256 Credential=any/20260101/us-east-1/cognito-idp/aws4_request';

    const unsigned = await post('ListUsers', '{"UserPoolId":"local"}');
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect(await (await post('DeleteUserPool', '{}', signed)).json()).toMatchObject({
      __type: 'UnknownOperationException',
    });
    expect(await (await post('ListUsers', '{', signed)).json()).toMatchObject({
      __type: 'SerializationException',
    });
    const missing = await post('AdminGetUser', '{"UserPoolId":"local"}', signed);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      __type: 'InvalidParameterException',
      message: expect.stringContaining('Username'),
    });
  });
});
