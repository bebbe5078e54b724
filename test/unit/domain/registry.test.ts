import { describe, expect, it } from 'vitest';
import { csvRowToObject, planCustomerWrite, readCsvHeader } from '../../../functions/domain/registry';
import type { CustomerProfile } from '../../../functions/schemas/customer';
import { customerCsvColumns } from '../../../functions/schemas/customer';

const ada: CustomerProfile = {
  customerId: 'C1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  storeId: 'S1',
  locale: 'en',
  attributes: { tier: 'gold' },
};

describe('planCustomerWrite', () => {
  it('creates a customer the registry does not hold', () => {
    expect(planCustomerWrite(undefined, ada)).toBe('create');
  });

  it('skips a customer whose profile is identical', () => {
    expect(planCustomerWrite(ada, { ...ada, attributes: { tier: 'gold' } })).toBe('unchanged');
  });

  it('updates a customer whose name, store, locale or attributes changed', () => {
    expect(planCustomerWrite(ada, { ...ada, lastName: 'King' })).toBe('update');
    expect(planCustomerWrite(ada, { ...ada, attributes: { tier: 'silver' } })).toBe('update');
    expect(planCustomerWrite(ada, { ...ada, phone: '+33 6 12 34 56 78' })).toBe('update');
  });

  it('moves the e-mail claim when the address changed', () => {
    expect(planCustomerWrite(ada, { ...ada, email: 'countess@example.com' })).toBe('change-email');
  });
});

describe('readCsvHeader', () => {
  it('accepts the columns in any order and keeps extra ones as attributes', () => {
    const result = readCsvHeader(
      ['email', ' customerId', 'tier', 'firstName', 'lastName', 'storeId', 'locale'],
      customerCsvColumns,
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.header.extraColumns).toEqual(['tier']);
  });

  it('names every missing column', () => {
    const result = readCsvHeader(['customerId', 'mail', 'storeId'], customerCsvColumns);
    expect(result).toMatchObject({
      ok: false,
      problems: expect.arrayContaining(['missing column(s): email, firstName, lastName, locale']),
    });
  });

  it('shows what it found instead, with the likely cause', () => {
    const result = readCsvHeader(['customerId;email;firstName;lastName;storeId;locale'], customerCsvColumns);
    expect(result).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([
        "found 1 column: `customerId;email;firstName;lastName;storeId;locale`: is the file separated by semicolons? use --delimiter ';'",
      ]),
    });
  });

  it('rejects a column that appears twice', () => {
    const result = readCsvHeader([...customerCsvColumns, 'email'], customerCsvColumns);
    expect(result).toMatchObject({
      ok: false,
      problems: expect.arrayContaining(['duplicate column(s): email']),
    });
  });
});

describe('csvRowToObject', () => {
  it('maps required columns by name and gathers non-empty extras in attributes', () => {
    const result = readCsvHeader(['tier', ...customerCsvColumns, 'city'], customerCsvColumns);
    if (!result.ok) throw new Error('header should be valid');
    const row = csvRowToObject(
      result.header,
      ['gold', 'C1', 'a@b.co', 'A', 'B', 'S1', 'fr', ''],
      customerCsvColumns,
    );
    expect(row).toEqual({
      customerId: 'C1',
      email: 'a@b.co',
      firstName: 'A',
      lastName: 'B',
      storeId: 'S1',
      locale: 'fr',
      attributes: { tier: 'gold' },
    });
  });

  it('gives an optional column a field of its own, and leaves it out when the file lacks it', () => {
    const withPhone = readCsvHeader([...customerCsvColumns, 'phone', 'tier'], customerCsvColumns, ['phone']);
    if (!withPhone.ok) throw new Error('header should be valid');
    expect(withPhone.header.extraColumns).toEqual(['tier']);
    expect(
      csvRowToObject(
        withPhone.header,
        ['C1', 'a@b.co', 'A', 'B', 'S1', 'fr', '+33 6', 'gold'],
        customerCsvColumns,
        ['phone'],
      ),
    ).toMatchObject({ phone: '+33 6', attributes: { tier: 'gold' } });
    const without = readCsvHeader([...customerCsvColumns], customerCsvColumns, ['phone']);
    if (!without.ok) throw new Error('header should be valid');
    expect(
      csvRowToObject(without.header, ['C1', 'a@b.co', 'A', 'B', 'S1', 'fr'], customerCsvColumns, ['phone']),
    ).not.toHaveProperty('phone');
  });
});
