import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runCustomerErase, runCustomerExport, type Terminal } from '../../cli/commands/customer';
import { UsageError } from '../../cli/errors';
import {
  createPrivacyFakes,
  type PrivacyFakes,
  seedTwoCustomers,
  serialised,
} from '../support/in-memory-privacy';

const terminal = (answer?: string) => {
  const out = { stdout: '', stderr: '', questions: [] as string[] };
  const io: Terminal = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text) },
    ...(answer !== undefined && {
      ask: async (question: string) => {
        out.questions.push(question);
        return answer;
      },
    }),
  };
  return { io, out };
};

let fakes: PrivacyFakes;
beforeEach(() => {
  fakes = createPrivacyFakes();
  seedTwoCustomers(fakes);
});

describe('closeloop customer erase', () => {
  it('refuses without --yes when there is no terminal to confirm on, and erases nothing', async () => {
    const before = serialised(fakes);
    const { io } = terminal();
    const refused = runCustomerErase(fakes.deps, 'C1', {}, io);
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(/refusing to erase customer C1 without --yes/);
    expect(serialised(fakes)).toBe(before);
  });

  it('asks on a terminal, showing what will go, and erases once the id is typed', async () => {
    const { io, out } = terminal('C1\n');
    expect(await runCustomerErase(fakes.deps, 'C1', {}, io)).toBe(0);
    expect(out.questions).toEqual([
      expect.stringMatching(/customer C1 <ada@example.com>.*2 surveys and 1 case/),
    ]);
    expect(out.stdout).toBe(
      'Erased customer C1: 2 surveys and 1 case anonymised (their scores stay in the aggregates); ' +
        'customer record and e-mail claim deleted.\n',
    );
    expect(fakes.customers.has('C1')).toBe(false);
  });

  it('erases nothing when the confirmation is anything but the id', async () => {
    const before = serialised(fakes);
    const { io, out } = terminal('y');
    expect(await runCustomerErase(fakes.deps, 'C1', {}, io)).toBe(1);
    expect(out.stderr).toBe('Nothing was erased.\n');
    expect(serialised(fakes)).toBe(before);
  });

  it('says so and exits 1 for an unknown id, with --yes or on a terminal', async () => {
    const piped = terminal();
    expect(await runCustomerErase(fakes.deps, 'C404', { yes: true }, piped.io)).toBe(1);
    expect(piped.out.stderr).toMatch(/no customer "C404": nothing is stored under this id \(erased already/);
    const asked = terminal('C404');
    expect(await runCustomerErase(fakes.deps, 'C404', {}, asked.io)).toBe(1);
    expect(asked.out.questions).toEqual([]);
  });

  it('--json prints what was erased as one JSON object', async () => {
    const { io, out } = terminal();
    expect(await runCustomerErase(fakes.deps, 'C1', { yes: true, json: true }, io)).toBe(0);
    expect(out.stdout).toBe('{"customerId":"C1","surveys":2,"cases":1,"customer":"deleted"}\n');
    expect(out.stderr).toBe('');
  });

  it('exits 1 with the reason when the erasure must wait for an answer on its way', async () => {
    (fakes.surveys.get('token-promoter-bbbbbbb') as Record<string, unknown>).countShard = '5';
    const { io, out } = terminal();
    expect(await runCustomerErase(fakes.deps, 'C1', { yes: true }, io)).toBe(1);
    expect(out.stderr).toMatch(/cannot be erased yet: survey sv-promoter: its answer is not counted yet/);
  });
});

describe('closeloop customer export', () => {
  it('prints everything as indented JSON on stdout', async () => {
    const { io, out } = terminal();
    expect(await runCustomerExport(fakes.deps, 'C1', {}, io)).toBe(0);
    expect(out.stdout).toMatch(/^{\n {2}"customerId": "C1",/);
    expect(JSON.parse(out.stdout)).toMatchObject({ customer: { email: 'ada@example.com' } });
  });

  it('writes the file readable by its owner only with --out', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'closeloop-export-')), 'c1.json');
    const { io, out } = terminal();
    expect(await runCustomerExport(fakes.deps, 'C1', { out: file }, io)).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ customerId: 'C1' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/to .*c1\.json\. It holds personal data/);
  });

  it('--json with --out prints what was written as JSON, the warning staying on stderr', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'closeloop-export-')), 'c1.json');
    const { io, out } = terminal();
    expect(await runCustomerExport(fakes.deps, 'C1', { out: file, json: true }, io)).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ customerId: 'C1', out: file, surveys: 2, cases: 1 });
    expect(out.stderr).toMatch(/It holds personal data/);
  });

  it('--json without --out prints the same JSON as without it', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T12:00:00Z'), toFake: ['Date'] });
    try {
      const plain = terminal();
      const json = terminal();
      await runCustomerExport(fakes.deps, 'C1', {}, plain.io);
      await runCustomerExport(fakes.deps, 'C1', { json: true }, json.io);
      expect(json.out.stdout).toBe(plain.out.stdout);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says so and exits 1 for an unknown id', async () => {
    const { io, out } = terminal();
    expect(await runCustomerExport(fakes.deps, 'C404', {}, io)).toBe(1);
    expect(out.stderr).toBe('closeloop: no customer "C404": nothing is stored under this id.\n');
    expect(out.stdout).toBe('');
  });
});
