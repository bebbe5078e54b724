import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalState } from '../../local/state';
import { csvFile, eventually, runCli } from '../support/local-stack';

/**
 * A user who starts with their own data rather than the demo's: no demo customers, no history, the
 * Surveys table empty when the stream poller starts. Then the same again after a restart on the
 * kept data, where the poller starts on a stream that holds records it already handed on.
 */
const work = mkdtempSync(join(tmpdir(), 'closeloop-empty-'));
const stateFile = join(work, 'local.json');
const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-data-'));
let child: ChildProcess | undefined;
let output = '';
let bobsLink = '';

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

const start = async () => {
  output = '';
  child = spawn(
    process.execPath,
    ['local/bin.mjs', '--port', '0', '--customers', '0', '--no-history', '--data-dir', dataDir],
    { env: { ...process.env, CLOSELOOP_STATE_FILE: stateFile }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (data: Buffer) => {
    output += data;
  });
  child.stderr?.on('data', (data: Buffer) => {
    output += data;
  });
  await eventually(async () => output.includes('Press Ctrl-C to stop.'), 60_000);
  return LocalState.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
};

const stop = async () => {
  const running = child;
  if (running === undefined || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGINT');
  await exited;
};

const cli = async (args: readonly string[]) => {
  const run = await runCli(args, { stateFile });
  expect(run.stderr, `closeloop ${args.join(' ')}`).not.toMatch(/Error|at .*\.ts:\d+/);
  return run;
};

interface Mail {
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string };
}
const mailTo = async (state: LocalState, address: string) => {
  const { emails } = (await (await fetch(`${state.mailUrl}store`)).json()) as { emails: Mail[] };
  return emails.filter((email) => email.destination.to.includes(address));
};

/** The path of a customer's "2" link, from their invitation (the API's port changes on a restart). */
const detractorLinkPath = async (state: LocalState, address: string) => {
  const [invitation] = await eventually(async () => {
    const mails = await mailTo(state, address);
    return mails.length > 0 && mails;
  });
  const link = invitation?.body.html?.match(/href="([^"]*\/s\/[^"?]+)\?score=2"/)?.[1];
  expect(link, `score link in the invitation to ${address}`).toBeDefined();
  return new URL(link ?? '').pathname;
};

/** Answers a survey with a detractor's score and a reason, as the survey page does. */
const answerAsDetractor = async (state: LocalState, path: string) => {
  const response = await fetch(`${state.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ score: 2, comment: 'Nobody at the counter.' }),
  });
  expect(response.status).toBe(200);
};

const managerAlerts = async (state: LocalState) =>
  (await mailTo(state, 'manager.e1@stores.example.com')).filter((mail) =>
    mail.subject.startsWith('Detractor'),
  );

const detractorsReported = async () => {
  const { stdout } = await cli(['report', '--json']);
  return (JSON.parse(stdout) as { overall: { responses: number; detractors: number } }).overall;
};

const printsNoStackTraces = () => {
  expect(output).not.toContain('TrimmedDataAccessException');
  expect(output).not.toMatch(/^\s+at /m);
};

describe('starting empty', () => {
  it('counts an answer, opens its case, alerts the manager and exports the detractor within seconds', async () => {
    const state = await start();
    await cli([
      'import-stores',
      csvFile('stores.csv', [
        ['storeId', 'name', 'managerEmail', 'regionalManagerEmail', 'timezone'],
        [
          'E1',
          'Empty Street',
          'manager.e1@stores.example.com',
          'region.e@stores.example.com',
          'Europe/Paris',
        ],
      ]),
    ]);
    await cli([
      'import-customers',
      csvFile('customers.csv', [
        ['customerId', 'email', 'firstName', 'lastName', 'storeId', 'locale'],
        ['E-C1', 'ann.e@customers.example.com', 'Ann', 'One', 'E1', 'en'],
        ['E-C2', 'bob.e@customers.example.com', 'Bob', 'Two', 'E1', 'en'],
      ]),
    ]);
    await cli(['tick', '--now', new Date(Date.now() + 40 * 86_400_000).toISOString()]);

    await answerAsDetractor(state, await detractorLinkPath(state, 'ann.e@customers.example.com'));
    bobsLink = await detractorLinkPath(state, 'bob.e@customers.example.com');

    expect(await eventually(async () => (await detractorsReported()).detractors === 1, 20_000)).toBe(true);
    const cases = await eventually(async () => {
      const { stdout } = await cli(['followups', '--json']);
      return stdout.trim() !== '' && stdout.trim().split('\n');
    }, 20_000);
    expect(cases).toHaveLength(1);
    expect(await eventually(async () => (await managerAlerts(state)).length === 1, 20_000)).toBe(true);
    const { stdout: exported } = await cli(['export', '--segment', 'detractors', '--format', 'jsonl']);
    expect(
      exported
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).email),
    ).toEqual(['ann.e@customers.example.com']);
    printsNoStackTraces();
    await stop();
    expect(existsSync(stateFile)).toBe(false);
  });

  it('after a restart on the kept data, counts a new answer and nothing twice', async () => {
    const state = await start();
    // The mail emulator keeps nothing across restarts; Bob's link came in the first run.
    await answerAsDetractor(state, bobsLink);

    const overall = await eventually(async () => {
      const reported = await detractorsReported();
      return reported.detractors === 2 && reported;
    }, 20_000);
    expect(overall.responses).toBe(2);
    expect(await eventually(async () => (await managerAlerts(state)).length === 1, 20_000)).toBe(true);
    const { stdout } = await cli(['followups', '--json']);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    printsNoStackTraces();
    await stop();
  });
});
