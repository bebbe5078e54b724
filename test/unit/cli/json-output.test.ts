import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { runDevToken } from '../../../cli/commands/dev-token';
import { runCsvImport } from '../../../cli/commands/import-csv';
import { runTickCommand } from '../../../cli/commands/tick';
import { UsageError } from '../../../cli/errors';
import type { Terminal } from '../../../cli/terminal';
import type { CsvRecord, ImportOptions } from '../../../functions/use-cases/csv-import';

const terminal = () => {
  const out = { stdout: '', stderr: '' };
  const io: Terminal = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
  };
  return { io, out };
};

const queued = { invitations: 3, reminders: 2, recounts: 1, escalations: 0, digests: 4 };

describe('closeloop tick', () => {
  it('--json prints what was queued as one JSON object', async () => {
    const { io, out } = terminal();
    const asOf: Date[] = [];
    await runTickCommand(
      { now: '2027-06-01T09:00:00Z', json: true },
      async (now) => {
        asOf.push(now);
        return queued;
      },
      io,
    );
    expect(asOf).toEqual([new Date('2027-06-01T09:00:00Z')]);
    expect(out.stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(out.stdout)).toEqual({ now: '2027-06-01T09:00:00.000Z', ...queued });
    expect(out.stderr).toBe('');
  });

  it('prints a sentence without --json', async () => {
    const { io, out } = terminal();
    await runTickCommand({ now: '2027-06-01T09:00:00Z' }, async () => queued, io);
    expect(out.stdout).toBe(
      'tick as of 2027-06-01T09:00:00.000Z: queued 3 invitations, 2 reminders, 1 answers to recount, ' +
        '0 overdue cases to escalate and 4 daily digests.\n',
    );
  });
});

describe('closeloop dev-token', () => {
  const local = { name: 'local' as const, env: { LOCAL_AUTH_SECRET: 'a-local-secret-for-tests' } };

  it('--json prints the token with its e-mail, role and expiry', async () => {
    const { io, out } = terminal();
    const before = Date.now();
    await runDevToken(local, { email: ' M@Example.com ', role: 'marketing', json: true }, io);
    const printed = JSON.parse(out.stdout) as {
      token: string;
      email: string;
      role: string;
      expiresAt: string;
    };
    expect(printed).toMatchObject({ email: 'm@example.com', role: 'marketing' });
    const hours = (Date.parse(printed.expiresAt) - before) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const { payload } = await jwtVerify(printed.token, new TextEncoder().encode(local.env.LOCAL_AUTH_SECRET));
    expect(payload['cognito:groups']).toEqual(['marketing']);
  });

  it('prints the bare token without --json, a manager by default', async () => {
    const { io, out } = terminal();
    await runDevToken(local, { email: 'm@example.com' }, io);
    expect(out.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('is a usage error outside the local stack', async () => {
    const { io } = terminal();
    await expect(runDevToken({ name: 'aws', env: {} }, { email: 'm@x', json: true }, io)).rejects.toThrow(
      UsageError,
    );
  });
});

describe('closeloop import-customers / import-stores --json', () => {
  const csv = (rows: string[]) => {
    const file = join(mkdtempSync(join(tmpdir(), 'closeloop-cli-json-')), 'stores.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    return file;
  };
  const columns = ['storeId', 'name'];
  /** An import that creates every row but those whose id is `bad`. */
  const fakeImport = async (records: AsyncIterable<CsvRecord>, { onReject }: ImportOptions) => {
    const summary = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
    for await (const { line, values } of records) {
      if (line === 1) continue;
      summary.read++;
      if (values[0] === 'bad') {
        summary.rejected++;
        onReject?.({ line, key: 'bad', reason: 'storeId: is not valid' });
      } else summary.created++;
    }
    return summary;
  };

  it('prints the summary as JSON, exit 0 when every row was imported', async () => {
    const file = csv(['storeId,name', 'S1,One', 'S2,Two']);
    const { io, out } = terminal();
    expect(await runCsvImport(file, { progress: false, json: true }, columns, fakeImport, io)).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      file,
      encoding: 'utf-8',
      delimiter: ',',
      read: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      rejectsFile: null,
      seconds: expect.any(Number),
    });
    expect(out.stdout.split('\n')).toHaveLength(2);
    expect(out.stderr).toBe('');
  });

  it('keeps rejected rows on stderr and names the rejects file, exit 1', async () => {
    const file = csv(['storeId,name', 'S1,One', 'bad,Bad']);
    const { io, out } = terminal();
    expect(await runCsvImport(file, { progress: false, json: true }, columns, fakeImport, io)).toBe(1);
    const summary = JSON.parse(out.stdout) as { rejected: number; rejectsFile: string };
    expect(summary).toMatchObject({ read: 2, created: 1, rejected: 1, rejectsFile: `${file}.rejected.csv` });
    expect(existsSync(summary.rejectsFile)).toBe(true);
    expect(readFileSync(summary.rejectsFile, 'utf8')).toContain('storeId: is not valid');
    expect(out.stderr).toBe('line 3 (bad): storeId: is not valid\n');
  });

  it('prints sentences without --json', async () => {
    const file = csv(['storeId,name', 'S1,One']);
    const { io, out } = terminal();
    expect(await runCsvImport(file, { progress: false }, columns, fakeImport, io)).toBe(0);
    expect(out.stdout).toMatch(
      /^.*stores\.csv: read as UTF-8, delimiter ','\.\n.*stores\.csv: 1 rows read in \d+\.\d s: 1 created, 0 updated, 0 unchanged, 0 rejected\.\n$/,
    );
  });

  it('prints the encoding and delimiter it detected, or was given', async () => {
    const file = csv(['storeId;name', 'S1;Ön']);
    const detected = terminal();
    await runCsvImport(file, { progress: false, json: true }, columns, fakeImport, detected.io);
    expect(JSON.parse(detected.out.stdout)).toMatchObject({ encoding: 'utf-8', delimiter: ';', created: 1 });

    const given = terminal();
    await runCsvImport(
      file,
      { progress: false, encoding: 'windows-1252', delimiter: '\t' },
      columns,
      fakeImport,
      given.io,
    );
    expect(given.out.stdout).toContain('stores.csv: read as Windows-1252, delimiter tab.\n');
  });
});
