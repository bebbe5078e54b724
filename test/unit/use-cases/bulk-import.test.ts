import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importJobIdOf } from '../../../functions/use-cases/bulk-import';

describe('importJobIdOf', () => {
  it('gives the same job to the same version of a file, quoted ETag or not', () => {
    expect(importJobIdOf('imports/a.csv', '"abc"')).toBe(importJobIdOf('imports/a.csv', 'abc'));
    expect(importJobIdOf('imports/a.csv', 'abc')).not.toBe(importJobIdOf('imports/a.csv', 'abd'));
    expect(importJobIdOf('imports/a.csv', 'abc')).not.toBe(importJobIdOf('imports/b.csv', 'abc'));
  });

  it('never starts with a dash, which the command line would read as an option', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, eTag) => {
        expect(importJobIdOf(key, eTag)).toMatch(/^imp_[A-Za-z0-9_-]{22}$/);
      }),
    );
  });
});
