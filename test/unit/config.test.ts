import { describe, expect, it } from 'vitest';
import { ConfigError, registryTables } from '../../functions/shared/config';

describe('registryTables', () => {
  it('reads the table names from the environment', () => {
    expect(registryTables({ CUSTOMERS_TABLE: 'c', CUSTOMER_EMAILS_TABLE: 'e', STORES_TABLE: 's' })).toEqual({
      customers: 'c',
      customerEmails: 'e',
      stores: 's',
    });
  });

  it('names every variable that is missing', () => {
    expect(() => registryTables({ CUSTOMERS_TABLE: 'c' })).toThrow(ConfigError);
    expect(() => registryTables({ CUSTOMERS_TABLE: 'c' })).toThrow(
      'invalid configuration: CUSTOMER_EMAILS_TABLE: is not set; STORES_TABLE: is not set',
    );
  });
});
