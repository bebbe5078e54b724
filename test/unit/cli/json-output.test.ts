import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { runCsvImport } from '../../../cli/commands/import-csv';
import { runStaffToken } from '../../../cli/commands/staff-token';
import { runTickCommand } from '../../../cli/commands/tick';
import { UsageError } from '../../../cli/errors';
import type { Terminal } from '../../../cli/terminal';
import type { CsvRecord, ImportOptions } from '../../../functions/use-cases/csv-import';
import { SignInError, type signInThroughForm } from '../../../local/identity/sign-in';

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

describe('closeloop staff token', () => {
  const local = {
    name: 'local' as const,
    env: { OIDC_ISSUER_URL: 'http://127.0.0.1:4000', OIDC_CLIENT_ID: 'closeloop-staff' },
  };
  const expiresAt = new Date('2027-06-01T10:00:00Z');
  /** The provider's answer to a good sign-in (the real one goes through the login form over HTTP). */
  const signedIn: typeof signInThroughForm = async ({ email }) => ({
    idToken: await new SignJWT({ email, 'cognito:groups': ['marketing'], token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('sub-1')
      .setExpirationTime(expiresAt)
      .sign(new TextEncoder().encode('test')),
    accessToken: 'opaque-access-token',
    expiresIn: 3600,
  });

  it('--json prints the tokens with the sub, e-mail, groups and expiry', async () => {
    const { io, out } = terminal();
    const options = { email: 'm@example.com', password: 'P', json: true };
    expect(await runStaffToken(local, options, io, signedIn)).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      accessToken: 'opaque-access-token',
      sub: 'sub-1',
      email: 'm@example.com',
      groups: ['marketing'],
      expiresAt: expiresAt.toISOString(),
    });
  });

  it('prints the bare ID token without --json', async () => {
    const { io, out } = terminal();
    await runStaffToken(local, { email: 'm@example.com', password: 'P' }, io, signedIn);
    expect(out.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('says why the provider refused, and exits 1', async () => {
    const { io, out } = terminal();
    const refused: typeof signInThroughForm = async () => {
      throw new SignInError('Incorrect e-mail address or password.');
    };
    expect(await runStaffToken(local, { email: 'm@x.co', password: 'wrong' }, io, refused)).toBe(1);
    expect(out.stderr).toBe('closeloop: cannot sign in as m@x.co: Incorrect e-mail address or password.\n');
    expect(out.stdout).toBe('');
  });

  it('is a usage error outside the local stack', async () => {
    const { io } = terminal();
    await expect(
      runStaffToken({ name: 'aws', env: {} }, { email: 'm@x', password: 'P' }, io, signedIn),
    ).rejects.toThrow(UsageError);
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
