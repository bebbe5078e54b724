import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { HarnessFigures } from '../test/support/scanner-harness';

interface CloudDescription {
  readonly endpoints: { readonly dynamodb: string; readonly sqs: string; readonly ses: string };
  readonly region: string;
  readonly env: Record<string, string>;
}

/** Starts `local/cloud-process.ts` and waits for its description; `stop()` ends it. */
export const startCloudProcess = async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/cloud-process.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const description = await new Promise<CloudDescription>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the local cloud exited (${code}) before it was ready`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as CloudDescription));
  });
  return {
    ...description,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

/** Runs a benchmark script in a child process with `env`, and returns the JSON of its last line. */
const runInChild = <Result>(script: string, args: readonly string[], env: Record<string, string>) =>
  new Promise<Result>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data;
    });
    child.once('exit', (code) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`${script} failed (${code}): ${output}`));
    });
  });

/** Runs `bench/click-to-alert-run.ts` in a child process with `env`, and returns its result. */
export const runClickToAlert = (env: Record<string, string>, samples: number) =>
  runInChild<{ samples: number; medianMillis: number; maxMillis: number }>(
    'bench/click-to-alert-run.ts',
    [String(samples)],
    env,
  );

/** Runs `bench/scanners-run.ts` in a child process with `env`, and returns the harness's figures. */
export const runScannersBench = (
  env: Record<string, string>,
  scale: { scannersPerKind: number; peoplePerKind: number },
) =>
  runInChild<HarnessFigures>(
    'bench/scanners-run.ts',
    [String(scale.scannersPerKind), String(scale.peoplePerKind)],
    env,
  );
