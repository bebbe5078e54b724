import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportJob } from '../../../functions/schemas/bulk-import';
import { importJobIdOf, type SplitterDeps, startBulkImport } from '../../../functions/use-cases/bulk-import';

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

describe('startBulkImport, for an event delivered again', () => {
  const key = 'imports/customers.csv';
  const jobOf = (status: ImportJob['status']) => ({ jobId: importJobIdOf(key, 'abc'), status }) as ImportJob;
  const depsWith = (job: ImportJob) => {
    const reads: string[] = [];
    const deps = {
      jobs: { get: async (jobId: string) => (jobId === job.jobId ? job : undefined) },
      files: {
        read: async (_bucket: string, file: string) => {
          reads.push(file);
          throw new Error('the file is read');
        },
      },
      chunks: { sendAll: async () => undefined },
    } as unknown as SplitterDeps;
    return { deps, reads };
  };

  it('returns a finished job without reading its file again', async () => {
    const done = jobOf('done');
    const { deps, reads } = depsWith(done);
    expect(await startBulkImport(deps, { bucket: 'b', key, eTag: 'abc' })).toBe(done);
    expect(reads).toEqual([]);
  });

  it('reads the file of a job still importing, to queue its chunks again', async () => {
    const { deps, reads } = depsWith(jobOf('importing'));
    await expect(startBulkImport(deps, { bucket: 'b', key, eTag: 'abc' })).rejects.toThrow(
      'the file is read',
    );
    expect(reads).toEqual([key]);
  });
});
