import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoMarketer, demoStaffPassword } from '../../local/demo-staff';
import { signInThroughForm } from '../../local/identity/sign-in';
import { LocalState } from '../../local/state';
import { eventually } from '../support/local-stack';

const stateFile = join(mkdtempSync(join(tmpdir(), 'closeloop-start-')), 'local.json');
let child: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

const exited = (process: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (process.exitCode !== null) resolve(process.exitCode);
    else process.once('exit', (code) => resolve(code));
  });

describe('npm start', () => {
  it('brings up the whole local stack with demo data, and leaves nothing behind on Ctrl-C', async () => {
    child = spawn(process.execPath, ['local/bin.mjs', '--port', '0', '--customers', '25'], {
      env: { ...process.env, CLOSELOOP_STATE_FILE: stateFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (data: Buffer) => {
      output += data;
    });
    child.stderr?.on('data', (data: Buffer) => {
      output += data;
    });

    const state = await eventually(
      async () => existsSync(stateFile) && LocalState.parse(JSON.parse(readFileSync(stateFile, 'utf8'))),
      60_000,
    );
    await eventually(async () => output.includes('Press Ctrl-C to stop.'));
    expect(output).toContain(state.apiUrl);
    expect(output).toContain(state.mailUrl);
    expect(output).toContain('25 customers');

    expect((await fetch(`${state.apiUrl}/health`)).status).toBe(200);
    expect((await fetch(state.mailUrl)).status).toBe(200);
    expect(output).toContain(`${state.apiUrl}/d`);
    expect((await fetch(state.dashboardUrl ?? '')).status).toBe(200);
    expect((await fetch(state.managersUrl ?? '')).status).toBe(200);

    // The demo's staff sign in through the provider's form with the password it prints.
    expect(output).toContain(`Sign in as     ${demoMarketer}`);
    const marketer = await signInThroughForm({
      issuerUrl: state.issuerUrl,
      clientId: state.clientId,
      email: demoMarketer,
      password: demoStaffPassword,
    });
    const dashboard = await fetch(`${state.apiUrl}/r/dashboard`, {
      headers: { authorization: `Bearer ${marketer.idToken}` },
    });
    expect(dashboard.status).toBe(200);

    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
    await expect(fetch(`${state.dynamodbEndpoint}`)).rejects.toThrow();
    await expect(fetch(`${state.apiUrl}/health`)).rejects.toThrow();
  });
});
