import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

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
