import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createStaffDirectory } from '../../../functions/adapters/staff-directory';

const cognito = mockClient(CognitoIdentityProviderClient);
beforeEach(() => cognito.reset());

const UserPoolId = 'eu-west-1_Pool';
const directory = () =>
  createStaffDirectory(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), UserPoolId);

const aUser = (sub: string, email: string, overrides: Partial<UserType> = {}): UserType => ({
  Username: sub,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: email },
  ],
  Enabled: true,
  UserStatus: 'CONFIRMED',
  ...overrides,
});

const named = (name: string, message = name) => Object.assign(new Error(message), { name, $fault: 'client' });

describe('createStaffDirectory', () => {
  it('lists every account with its staff groups, following the pages', async () => {
    cognito
      .on(ListUsersCommand, { UserPoolId })
      .resolvesOnce({ Users: [aUser('s1', 'ann@x.co')], PaginationToken: 'p2' })
      .resolvesOnce({
        Users: [aUser('s2', 'bob@x.co', { Enabled: false, UserStatus: 'FORCE_CHANGE_PASSWORD' })],
      });
    cognito.on(ListUsersInGroupCommand).resolves({ Users: [] });
    cognito
      .on(ListUsersInGroupCommand, { GroupName: 'managers' })
      .resolves({ Users: [aUser('s1', 'ann@x.co')] });
    cognito
      .on(ListUsersInGroupCommand, { GroupName: 'marketing' })
      .resolves({ Users: [aUser('s1', 'ann@x.co'), aUser('s2', 'bob@x.co')] });

    expect(await directory().listAccounts()).toEqual([
      {
        username: 's1',
        sub: 's1',
        email: 'ann@x.co',
        enabled: true,
        status: 'CONFIRMED',
        groups: ['managers', 'marketing'],
      },
      {
        username: 's2',
        sub: 's2',
        email: 'bob@x.co',
        enabled: false,
        status: 'FORCE_CHANGE_PASSWORD',
        groups: ['marketing'],
      },
    ]);
    expect(cognito.commandCalls(ListUsersCommand)[1]?.args[0].input).toMatchObject({ PaginationToken: 'p2' });
    expect(cognito.commandCalls(ListUsersInGroupCommand).map((call) => call.args[0].input.GroupName)).toEqual(
      ['managers', 'admin', 'marketing'],
    );
  });

  it('creates a verified account by e-mail, invited by Cognito, or silently', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ User: aUser('new-sub', 'ann@x.co', { UserStatus: 'FORCE_CHANGE_PASSWORD' }) });

    const created = await directory().createAccount(' Ann@X.co ', { invite: true });
    await directory().createAccount('bob@x.co', { invite: false });

    expect(created).toMatchObject({ username: 'new-sub', sub: 'new-sub', email: 'ann@x.co', groups: [] });
    const [invited, silent] = cognito.commandCalls(AdminCreateUserCommand).map((call) => call.args[0].input);
    expect(invited).toEqual({
      UserPoolId,
      Username: 'ann@x.co',
      UserAttributes: [
        { Name: 'email', Value: 'ann@x.co' },
        { Name: 'email_verified', Value: 'true' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(silent).toMatchObject({ Username: 'bob@x.co', MessageAction: 'SUPPRESS' });
  });

  it('returns the account already there when a retry creates it again', async () => {
    cognito.on(AdminCreateUserCommand).rejects(named('UsernameExistsException'));
    cognito
      .on(ListUsersCommand, { Filter: 'email = "ann@x.co"' })
      .resolves({ Users: [aUser('s1', 'ann@x.co')] });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'managers' }] });

    expect(await directory().createAccount('ann@x.co', { invite: true })).toMatchObject({
      sub: 's1',
      groups: ['managers'],
    });
  });

  it('finds an account by e-mail with a quoted filter, preferring an enabled one', async () => {
    cognito
      .on(ListUsersCommand)
      .resolves({ Users: [aUser('old', 'a"b@x.co', { Enabled: false }), aUser('new', 'a"b@x.co')] });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    expect((await directory().findByEmail('A"B@x.co'))?.sub).toBe('new');
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input.Filter).toBe('email = "a\\"b@x.co"');
    cognito.on(ListUsersCommand).resolves({ Users: [] });
    expect(await directory().findByEmail('nobody@x.co')).toBeUndefined();
  });

  it('names the missing group when the pool lacks it', async () => {
    cognito.on(AdminAddUserToGroupCommand).rejects(named('ResourceNotFoundException', 'Group not found.'));
    await expect(directory().addToGroup('s1', 'managers')).rejects.toThrow(
      `the user pool ${UserPoolId} has no group "managers" (the stack creates it)`,
    );
  });

  it('disables accounts and sets permanent passwords by username', async () => {
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminSetUserPasswordCommand).resolves({});
    await directory().disable('s1');
    await directory().setPassword('s2', 'Correct-Horse-9');
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId,
      Username: 's1',
    });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toEqual({
      UserPoolId,
      Username: 's2',
      Password: 'Correct-Horse-9',
      Permanent: true,
    });
  });
});
