import { describe, expect, it } from 'vitest';
import { canonicalLocale, isKnownTimeZone, normalizeEmail } from '../../../functions/domain/contact';

describe('normalizeEmail', () => {
  it('trims and lower-cases the whole address', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });
});

describe('canonicalLocale', () => {
  it('canonicalises the case of a region', () => {
    expect(canonicalLocale('en-gb')).toBe('en-GB');
  });

  it('returns undefined for a tag that is not BCP 47', () => {
    expect(canonicalLocale('not a locale')).toBeUndefined();
  });
});

describe('isKnownTimeZone', () => {
  it('accepts an IANA zone', () => {
    expect(isKnownTimeZone('Europe/Paris')).toBe(true);
  });

  it('rejects an unknown zone and an empty one', () => {
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
