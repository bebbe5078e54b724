import { describe, expect, it } from 'vitest';
import { CustomerProfile } from '../../../functions/schemas/customer';
import { StoreProfile } from '../../../functions/schemas/store';

const store = {
  storeId: 'S1',
  name: 'Lyon Part-Dieu',
  managerEmail: 'manager@example.com',
  timezone: 'Europe/Paris',
};
const customer = {
  customerId: 'C1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Byron',
  storeId: 'S1',
  locale: 'en',
  attributes: {},
};

describe('names at import', () => {
  it('stores a store name with a line break or control character as one clean line', () => {
    expect(StoreProfile.parse({ ...store, name: 'Lyon\r\nBcc: all@example.com' }).name).toBe(
      'Lyon Bcc: all@example.com',
    );
    expect(StoreProfile.parse({ ...store, name: ' Lyon\t\u0000Part-Dieu\u2028 ' }).name).toBe(
      'Lyon Part-Dieu',
    );
  });

  it('refuses a store name made only of control characters and spaces', () => {
    expect(StoreProfile.safeParse({ ...store, name: '\r\n\t ' }).success).toBe(false);
  });

  it('stores first and last names as one clean line each, blank meaning none', () => {
    const parsed = CustomerProfile.parse({
      ...customer,
      firstName: 'Ada\nSubject: win',
      lastName: '\u0085Byron\u2029 King ',
    });
    expect(parsed).toMatchObject({ firstName: 'Ada Subject: win', lastName: 'Byron King' });
    expect(CustomerProfile.parse({ ...customer, firstName: '\t\r\n', lastName: '' })).not.toHaveProperty(
      'firstName',
      expect.anything(),
    );
  });

  it('still limits a name’s length, counted once it is clean', () => {
    expect(CustomerProfile.safeParse({ ...customer, firstName: 'a'.repeat(101) }).success).toBe(false);
    expect(CustomerProfile.safeParse({ ...customer, firstName: `${'a'.repeat(100)}\r\n` }).success).toBe(
      true,
    );
  });
});
