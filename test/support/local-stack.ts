import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { stringify } from 'csv-stringify/sync';
import { inject } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb';
import { registryTables } from '../../functions/shared/config';

/** The environment of the emulators the global setup started (table names, queue URLs, endpoints). */
export const localEnv = () => inject('localEnv');

export const documentClient = () => {
  const env = localEnv();
  return createDocumentClient({
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  });
};

export const tableNames = () => registryTables(localEnv());

/** A short random prefix, so tests sharing the emulators never see each other's data. */
export const uniquePrefix = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

/** Writes rows (header first) to a CSV file in a fresh temporary directory. */
export const csvFile = (name: string, rows: readonly (readonly string[])[]) => {
  const path = join(mkdtempSync(join(tmpdir(), 'closeloop-csv-')), name);
  writeFileSync(path, stringify(rows as string[][]));
  return path;
};

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `closeloop ARGS` as a user would, against the emulators of the global setup. */
export const runCli = (
  args: readonly string[],
  {
    onSpawn,
    stateFile = inject('localStateFile'),
  }: {
    onSpawn?: (pid: number) => void /** A stack description other than the shared one. */;
    stateFile?: string;
  } = {},
) =>
  new Promise<CliRun>((resolve, reject) => {
    const child = spawn(process.execPath, ['cli/bin.mjs', ...args], {
      env: { ...process.env, CLOSELOOP_STATE_FILE: stateFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data;
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr += data;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    if (child.pid !== undefined) onSpawn?.(child.pid);
  });

/** Every item of a table whose key attribute starts with `prefix` (test tables are small). */
export const scanByPrefix = async (
  table: string,
  keyName: string,
  prefix: string,
  db: DynamoDBDocumentClient = documentClient(),
) => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(#key, :prefix)',
        ExpressionAttributeNames: { '#key': keyName },
        ExpressionAttributeValues: { ':prefix': prefix },
        ExclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

/** Polls `probe` until it returns a truthy value, failing after `timeoutMs`. */
export const eventually = async <T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
