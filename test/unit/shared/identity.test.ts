import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { canSeeStore } from '../../../functions/domain/access';
import { ForbiddenError } from '../../../functions/domain/errors';
import { signedInAccess, signedInUser } from '../../../functions/shared/identity';
import { accountOf, aStore, withAccounts } from '../../support/in-memory-stores';

/** An API Gateway event whose JWT authorizer passed these claims (as strings, as API Gateway does). */
const eventWith = (claims: Record<string, string | number | boolean | string[]>) =>
  ({
    requestContext: { authorizer: { jwt: { claims, scopes: [] } } },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

const stores = [
  withAccounts(aStore()),
  withAccounts(
    aStore({ storeId: 'S2', managerEmail: 'manager.s2@stores.example.com', regionalManagerEmail: undefined }),
  ),
];
const s1Manager = accountOf('manager.s1@stores.example.com');

describe('signedInUser', () => {
  it('reads the account, the verified e-mail and the groups', () => {
    expect(
      signedInUser(
        eventWith({
          sub: 'abc',
          email: ' Mia@Example.com',
          email_verified: 'true',
          'cognito:groups': '[marketing]',
        }),
      ),
    ).toEqual({ sub: 'abc', email: 'mia@example.com', groups: ['marketing'] });
    expect(
      signedInUser(eventWith({ sub: 'abc', email: 'mia@example.com', email_verified: true })).email,
    ).toBe('mia@example.com');
  });

  it.each([
    ['false', 'false'],
    ['missing', undefined],
    ['a number', 1],
  ])('leaves out an e-mail whose email_verified is %s', (_, verified) => {
    const user = signedInUser(
      eventWith({
        sub: 'abc',
        email: 'mia@example.com',
        ...(verified !== undefined && { email_verified: verified }),
      }),
    );
    expect(user).toEqual({ sub: 'abc', groups: [] });
  });

  it('refuses a token that names no account', () => {
    expect(() => signedInUser(eventWith({ email: 'mia@example.com', email_verified: 'true' }))).toThrow(
      ForbiddenError,
    );
  });
});

describe('signedInAccess', () => {
  it.each(['true', 'false'])(
    'keeps a manager who set their e-mail to another store’s manager (verified: %s) to their own store',
    (verified) => {
      const access = signedInAccess(
        eventWith({ sub: s1Manager, email: 'manager.s2@stores.example.com', email_verified: verified }),
        stores,
      );
      expect(canSeeStore(access, 'S1')).toBe(true);
      expect(canSeeStore(access, 'S2')).toBe(false);
    },
  );

  it('gives an account bound to no store nothing, even with a manager’s verified address', () => {
    const access = signedInAccess(
      eventWith({ sub: 'intruder', email: 'manager.s1@stores.example.com', email_verified: 'true' }),
      stores,
    );
    expect(access).toMatchObject({ kind: 'stores', storeIds: new Set() });
  });
});
