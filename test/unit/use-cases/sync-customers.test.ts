import { beforeEach, describe, expect, it } from 'vitest';
import type { CustomerRepository } from '../../../functions/adapters/customer-repository';
import { DuplicateEmailError, PayloadTooLargeError } from '../../../functions/domain/errors';
import type { CustomerProfile, CustomerRecord } from '../../../functions/schemas/customer';
import { maxSyncBatch } from '../../../functions/schemas/customer-sync';
import { eraseCustomers } from '../../../functions/use-cases/erase-customers';
import { syncCustomers } from '../../../functions/use-cases/sync-customers';
import { createPrivacyFakes, seedTwoCustomers } from '../../support/in-memory-privacy';

/** The registry in memory: customers and the claims on their addresses, with the repository's conditions. */
const createRegistry = () => {
  const customers = new Map<string, CustomerRecord>();
  const claims = new Map<string, string>();
  const writes: string[] = [];
  const claim = (profile: CustomerProfile) => {
    const holder = claims.get(profile.email);
    if (holder !== undefined && holder !== profile.customerId)
      throw new DuplicateEmailError(profile.email, holder);
    claims.set(profile.email, profile.customerId);
  };
  const repository = {
    get: async (customerId: string) => structuredClone(customers.get(customerId)),
    getMany: async (ids: readonly string[]) =>
      new Map(ids.flatMap((id) => (customers.has(id) ? [[id, structuredClone(customers.get(id))]] : []))),
    create: async (profile: CustomerProfile, now: string, firstSurveyAt: string) => {
      claim(profile);
      writes.push(`create ${profile.customerId}`);
      customers.set(profile.customerId, {
        ...profile,
        contactStatus: 'subscribed',
        nextSurveyAt: firstSurveyAt,
        surveyHistory: [],
        createdAt: now,
        updatedAt: now,
      });
    },
    updateProfile: async (profile: CustomerProfile, now: string) => {
      writes.push(`update ${profile.customerId}`);
      Object.assign(customers.get(profile.customerId) ?? {}, profile, { updatedAt: now });
    },
    changeEmail: async (profile: CustomerProfile, previous: string, now: string) => {
      claim(profile);
      claims.delete(previous);
      writes.push(`change-email ${profile.customerId}`);
      Object.assign(customers.get(profile.customerId) ?? {}, profile, { updatedAt: now });
    },
  };
  return { customers, claims, writes, repository: repository as unknown as CustomerRepository };
};

let registry: ReturnType<typeof createRegistry>;
const deps = () => ({
  customers: registry.repository,
  stores: { listIds: async () => new Set(['S1', 'S2']) },
  now: () => new Date('2026-12-01T10:00:00Z'),
});
const customer = (id: string, overrides: Record<string, unknown> = {}) => ({
  customerId: id,
  email: `${id.toLowerCase()}@example.com`,
  storeId: 'S1',
  ...overrides,
});

beforeEach(() => {
  registry = createRegistry();
});

describe('syncCustomers', () => {
  it('stores the good rows with the defaults of a CSV row and reports one outcome per row, in order', async () => {
    const result = await syncCustomers(deps(), [
      customer('C1', { firstName: ' Ana ', attributes: { tier: 'gold', empty: ' ' } }),
      customer('C2', { email: ' Bob@Example.COM ', locale: 'fr-ca', phone: '+33 6 12  34 56 78' }),
    ]);
    expect(result).toEqual({
      summary: { received: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 },
      results: [
        { index: 0, customerId: 'C1', outcome: 'created' },
        { index: 1, customerId: 'C2', outcome: 'created' },
      ],
      errors: [],
    });
    expect(registry.customers.get('C1')).toMatchObject({
      firstName: 'Ana',
      locale: 'en',
      attributes: { tier: 'gold' },
      contactStatus: 'subscribed',
    });
    expect(registry.customers.get('C2')).toMatchObject({
      email: 'bob@example.com',
      locale: 'fr-CA',
      phone: '+33 6 12 34 56 78',
    });
  });

  it('refuses each bad row with its index, field, code and reason, and writes the others', async () => {
    const result = await syncCustomers(deps(), [
      customer('C1'),
      customer('C2', { email: 'not-an-address' }),
      customer('C3', { storeId: 'S9' }),
      { email: 'x@example.com', storeId: 'S1' },
      customer('C1', { email: 'other@example.com' }),
      customer('C6', { email: 'c1@example.com' }),
      customer('C7', { emial: 'typo' }),
      customer('C8', { attributes: { nested: { no: 1 } } }),
      'not an object',
      customer('C10', { locale: 'not a locale!', firstName: 'x'.repeat(101) }),
      customer('C11', { email: 123 }),
    ]);
    expect(result.summary).toEqual({ received: 11, created: 1, updated: 0, unchanged: 0, rejected: 10 });
    expect(result.errors).toEqual([
      {
        index: 1,
        customerId: 'C2',
        field: 'email',
        code: 'invalid',
        message: 'must be a valid e-mail address',
      },
      {
        index: 2,
        customerId: 'C3',
        field: 'storeId',
        code: 'unknown_store',
        message: 'unknown storeId S9 (import it with import-stores first)',
      },
      { index: 3, field: 'customerId', code: 'invalid', message: 'is required' },
      {
        index: 4,
        customerId: 'C1',
        field: 'customerId',
        code: 'duplicate',
        message: 'duplicate customerId C1 (first seen at index 0)',
      },
      {
        index: 5,
        customerId: 'C6',
        field: 'email',
        code: 'duplicate',
        message: 'duplicate e-mail c1@example.com (already used by C1 at index 0)',
      },
      {
        index: 6,
        customerId: 'C7',
        field: 'emial',
        code: 'invalid',
        message: expect.stringMatching(/^unknown field emial \(the fields are customerId, email, /),
      },
      {
        index: 7,
        customerId: 'C8',
        field: 'attributes.nested',
        code: 'invalid',
        message: expect.any(String),
      },
      { index: 8, code: 'invalid', message: 'must be a JSON object (a customer)' },
      {
        index: 9,
        customerId: 'C10',
        field: 'firstName',
        code: 'invalid',
        message: 'must be at most 100 characters',
      },
      {
        index: 9,
        customerId: 'C10',
        field: 'locale',
        code: 'invalid',
        message: expect.stringContaining('not a valid locale'),
      },
      // A value of the wrong type is not a missing one.
      { index: 10, customerId: 'C11', field: 'email', code: 'invalid', message: 'must be a string' },
    ]);
    expect([...registry.customers.keys()]).toEqual(['C1']);
  });

  it('refuses a row whose address another customer holds (email_taken), keeping both customers as they were', async () => {
    await syncCustomers(deps(), [customer('C1'), customer('C2')]);
    const result = await syncCustomers(deps(), [customer('C2', { email: 'c1@example.com' })]);
    expect(result.errors).toEqual([
      {
        index: 0,
        customerId: 'C2',
        field: 'email',
        code: 'email_taken',
        message: 'e-mail c1@example.com already belongs to customer C1',
      },
    ]);
    expect(registry.customers.get('C2')?.email).toBe('c2@example.com');
    expect(registry.claims.get('c1@example.com')).toBe('C1');
  });

  it('is idempotent: the same call again writes nothing, reports unchanged and the same errors', async () => {
    const call = [customer('C1'), customer('C2', { storeId: 'S9' }), customer('C3', { firstName: 'Eve' })];
    const first = await syncCustomers(deps(), call);
    const writes = registry.writes.length;
    const again = await syncCustomers(deps(), call);
    expect(registry.writes).toHaveLength(writes);
    expect(again.summary).toEqual({ received: 3, created: 0, updated: 0, unchanged: 2, rejected: 1 });
    expect(again.errors).toEqual(first.errors);
    const changed = await syncCustomers(deps(), [
      customer('C3', { firstName: 'Eva' }),
      customer('C1', { email: 'new@example.com' }),
    ]);
    expect(changed.results.map((row) => row.outcome)).toEqual(['updated', 'updated']);
    expect(registry.claims.has('c1@example.com')).toBe(false);
  });

  it(`takes ${maxSyncBatch} customers in a call and refuses one more whole, writing nothing`, async () => {
    const rows = Array.from({ length: maxSyncBatch + 1 }, (_, index) => customer(`C${index}`));
    await expect(syncCustomers(deps(), rows)).rejects.toThrow(PayloadTooLargeError);
    await expect(syncCustomers(deps(), rows)).rejects.toThrow(/at most 500 customers, this one has 501/);
    expect(registry.writes).toEqual([]);
    const result = await syncCustomers(deps(), rows.slice(0, maxSyncBatch));
    expect(result.summary.created).toBe(maxSyncBatch);
  });
});

describe('eraseCustomers', () => {
  it('erases each customer once, reports one still being counted as pending, and an unknown one as erased', async () => {
    const fakes = createPrivacyFakes();
    seedTwoCustomers(fakes);
    const pendingSurvey = [...fakes.surveys.values()].find((survey) => survey.customerId === 'C2');
    if (pendingSurvey) pendingSurvey.countShard = '1';
    const results = await eraseCustomers(fakes.deps, ['C1', 'C2', 'C1', 'nobody'], {
      now: new Date('2027-07-01T00:00:00Z'),
    });
    expect(results.map(({ customerId, status }) => ({ customerId, status }))).toEqual([
      { customerId: 'C1', status: 'erased' },
      { customerId: 'C2', status: 'pending' },
      { customerId: 'C1', status: 'erased' },
      { customerId: 'nobody', status: 'erased' },
    ]);
    expect(results[1]?.message).toMatch(/run the erasure again/);
    expect(fakes.customers.has('C1')).toBe(false);
    expect(fakes.customers.has('C2')).toBe(true);
  });

  it(`refuses more than ${maxSyncBatch} ids whole`, async () => {
    const fakes = createPrivacyFakes();
    const ids = Array.from({ length: maxSyncBatch + 1 }, (_, index) => `C${index}`);
    await expect(eraseCustomers(fakes.deps, ids, { now: new Date() })).rejects.toThrow(PayloadTooLargeError);
    expect(fakes.calls).toEqual([]);
  });
});
