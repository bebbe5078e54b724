import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../../functions/schemas/common';
import { CustomerProfile, CustomerRecord } from '../../../functions/schemas/customer';
import { StoreProfile } from '../../../functions/schemas/store';

const row = {
  customerId: 'C1',
  email: ' Ada@Example.com ',
  firstName: ' Ada ',
  lastName: '',
  storeId: 'S1',
  locale: 'en-gb',
  attributes: {},
};

const problemsOf = (schema: typeof CustomerProfile | typeof StoreProfile, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? [] : describeIssues(result.error.issues);
};

describe('CustomerProfile', () => {
  it('normalises the e-mail, trims names, drops empty ones and canonicalises the locale', () => {
    expect(CustomerProfile.parse(row)).toEqual({
      customerId: 'C1',
      email: 'ada@example.com',
      firstName: 'Ada',
      storeId: 'S1',
      locale: 'en-GB',
      attributes: {},
    });
  });

  it('defaults an empty locale to en', () => {
    expect(CustomerProfile.parse({ ...row, locale: '' }).locale).toBe('en');
  });

  it('rejects a missing e-mail', () => {
    expect(problemsOf(CustomerProfile, { ...row, email: '  ' })).toContain('email: is required');
  });

  it('rejects an invalid e-mail', () => {
    expect(problemsOf(CustomerProfile, { ...row, email: 'ada@' })).toContain(
      'email: must be a valid e-mail address',
    );
  });

  it('rejects an id with spaces and an invalid locale', () => {
    const found = problemsOf(CustomerProfile, { ...row, customerId: 'C 1', locale: 'xx_YY!' });
    expect(found).toEqual([
      'customerId: may only contain letters, digits and . _ : @ - /',
      'locale: "xx_YY!" is not a valid locale tag (e.g. en, fr-CA)',
    ]);
  });
});

describe('StoreProfile', () => {
  const store = {
    storeId: 'S1',
    name: 'Lyon 1',
    managerEmail: 'Manager@Stores.example.com',
    regionalManagerEmail: 'region@stores.example.com',
    timezone: 'Europe/Paris',
  };

  it('normalises the managers’ e-mails', () => {
    expect(StoreProfile.parse(store).managerEmail).toBe('manager@stores.example.com');
  });

  it('rejects an unknown time zone', () => {
    expect(problemsOf(StoreProfile, { ...store, timezone: 'Paris' })).toEqual([
      'timezone: must be an IANA time zone such as Europe/Paris',
    ]);
  });
});

describe('StoreProfile regional manager', () => {
  const store = { storeId: 'S1', name: 'Lyon 1', managerEmail: 'm@example.com', timezone: 'Europe/Paris' };

  it('is optional: an empty value means none', () => {
    expect(StoreProfile.parse({ ...store, regionalManagerEmail: ' ' }).regionalManagerEmail).toBeUndefined();
  });

  it('must be a valid address when given', () => {
    expect(problemsOf(StoreProfile, { ...store, regionalManagerEmail: 'region@' })).toEqual([
      'regionalManagerEmail: must be a valid e-mail address',
    ]);
  });
});

describe('CustomerRecord', () => {
  it('reads a stored customer without the optional names', () => {
    const stored = {
      customerId: 'C1',
      email: 'ada@example.com',
      storeId: 'S1',
      locale: 'en',
      attributes: {},
      contactStatus: 'subscribed',
      surveyHistory: [],
      createdAt: '2026-11-23T09:00:00.000Z',
      updatedAt: '2026-11-23T09:00:00.000Z',
    };
    expect(CustomerRecord.parse(stored)).toEqual(stored);
  });
});

describe('StoreProfile alert recipients', () => {
  const store = { storeId: 'S1', name: 'Lyon 1', timezone: 'Europe/Paris' };

  it('accepts a store run from the region, without a manager address', () => {
    expect(
      StoreProfile.parse({ ...store, managerEmail: '', regionalManagerEmail: 'r@x.co' }).managerEmail,
    ).toBeUndefined();
  });

  it('refuses a store nobody would be alerted for', () => {
    expect(problemsOf(StoreProfile, { ...store, managerEmail: '', regionalManagerEmail: '' })).toEqual([
      'managerEmail: a store needs a manager or a regional manager e-mail to receive its alerts',
    ]);
  });
});

describe('a customer’s time zone', () => {
  it('is optional: blank means the store’s', () => {
    expect(CustomerProfile.parse({ ...row, timezone: ' ' }).timezone).toBeUndefined();
    expect(CustomerProfile.parse({ ...row, timezone: ' Asia/Tokyo ' }).timezone).toBe('Asia/Tokyo');
  });

  it('rejects an unknown zone, naming the column', () => {
    expect(problemsOf(CustomerProfile, { ...row, timezone: 'Mars/Olympus' })).toEqual([
      'timezone: must be an IANA time zone such as Europe/Paris',
    ]);
  });
});

describe('a store’s send window', () => {
  const store = { storeId: 'S1', name: 'Lyon 1', managerEmail: 'm@example.com', timezone: 'Europe/Paris' };

  it('is optional, kept as written once it reads', () => {
    expect(StoreProfile.parse({ ...store, sendWindow: '' }).sendWindow).toBeUndefined();
    expect(StoreProfile.parse({ ...store, sendWindow: ' Mon-Sat 10:00-19:00 ' }).sendWindow).toBe(
      'Mon-Sat 10:00-19:00',
    );
  });
});
