import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ListUsersCommand,
  paginateListUsers,
  paginateListUsersInGroup,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { allStoreRoles } from '../domain/access';
import { type DirectoryAccount, managersGroup, normalisedEmail } from '../domain/staff';

/** A staff account as the directory lists it, with its sign-in status. */
export interface StaffAccountListing extends DirectoryAccount {
  readonly status: string;
}

/** The groups staff accounts are sorted into: managers, and the all-store roles. */
export const staffGroups = [managersGroup, ...allStoreRoles] as const;

const attribute = (attributes: readonly AttributeType[] | undefined, name: string) =>
  attributes?.find((candidate) => candidate.Name === name)?.Value;

const listingOf = (user: UserType, groups: readonly string[]): StaffAccountListing => ({
  username: user.Username ?? '',
  sub: attribute(user.Attributes, 'sub') ?? user.Username ?? '',
  email: attribute(user.Attributes, 'email') ?? '',
  enabled: user.Enabled ?? true,
  status: user.UserStatus ?? 'UNKNOWN',
  groups,
});

/** ListUsers' filter value: a double-quoted string, with `"` and `\` escaped. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/**
 * Staff accounts in a Cognito user pool whose sign-in name is the e-mail (or in the local identity
 * provider, which speaks the same API): what `closeloop staff` reads and changes.
 */
export const createStaffDirectory = (client: CognitoIdentityProviderClient, userPoolId: string) => {
  const UserPoolId = userPoolId;

  const groupsOf = async (username: string) => {
    const groups: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new AdminListGroupsForUserCommand({ UserPoolId, Username: username, NextToken }),
      );
      groups.push(...(page.Groups ?? []).map((group) => group.GroupName ?? ''));
      NextToken = page.NextToken;
    } while (NextToken);
    return groups;
  };

  const findByEmail = async (email: string): Promise<StaffAccountListing | undefined> => {
    const { Users = [] } = await client.send(
      new ListUsersCommand({ UserPoolId, Filter: `email = ${quoted(normalisedEmail(email))}` }),
    );
    const user = Users.find((candidate) => candidate.Enabled !== false) ?? Users[0];
    return user === undefined ? undefined : listingOf(user, await groupsOf(user.Username ?? ''));
  };

  return {
    /** Every account of the pool, with its staff groups (one listing per group, not one call per user). */
    async listAccounts(): Promise<StaffAccountListing[]> {
      const members = new Map<string, string[]>();
      for (const GroupName of staffGroups)
        for await (const page of paginateListUsersInGroup({ client }, { UserPoolId, GroupName }))
          for (const user of page.Users ?? []) {
            const username = user.Username ?? '';
            members.set(username, [...(members.get(username) ?? []), GroupName]);
          }
      const accounts: StaffAccountListing[] = [];
      for await (const page of paginateListUsers({ client }, { UserPoolId }))
        for (const user of page.Users ?? [])
          accounts.push(listingOf(user, members.get(user.Username ?? '') ?? []));
      return accounts;
    },

    findByEmail,

    /**
     * Creates the account of an address, verified (the invitation goes to it: signing in proves it),
     * invited by e-mail unless `invite` is false. Safe to retry: an account already there is returned.
     */
    async createAccount(email: string, { invite }: { invite: boolean }): Promise<StaffAccountListing> {
      const address = normalisedEmail(email);
      try {
        const { User } = await client.send(
          new AdminCreateUserCommand({
            UserPoolId,
            Username: address,
            UserAttributes: [
              { Name: 'email', Value: address },
              { Name: 'email_verified', Value: 'true' },
            ],
            DesiredDeliveryMediums: ['EMAIL'],
            ...(!invite && { MessageAction: 'SUPPRESS' }),
          }),
        );
        if (User === undefined) throw new Error(`Cognito created ${address} but returned no user`);
        return listingOf(User, []);
      } catch (error) {
        if ((error as Error).name !== 'UsernameExistsException') throw error;
        const existing = await findByEmail(address);
        if (existing === undefined) throw error;
        return existing;
      }
    },

    /** Adds an account to a group (nothing happens if it is a member already). */
    async addToGroup(username: string, group: string) {
      try {
        await client.send(
          new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: group }),
        );
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException')
          throw new Error(`the user pool ${userPoolId} has no group "${group}" (the stack creates it)`, {
            cause: error,
          });
        throw error;
      }
    },

    async enable(username: string) {
      await client.send(new AdminEnableUserCommand({ UserPoolId, Username: username }));
    },

    async disable(username: string) {
      await client.send(new AdminDisableUserCommand({ UserPoolId, Username: username }));
    },

    /** A permanent password: the account is confirmed and signs in with it (no invitation). */
    async setPassword(username: string, password: string) {
      await client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId,
          Username: username,
          Password: password,
          Permanent: true,
        }),
      );
    },
  };
};

export type StaffDirectory = ReturnType<typeof createStaffDirectory>;
