import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '../../local/local-cloud';
import { writeLocalState } from '../../local/state';

declare module 'vitest' {
  export interface ProvidedContext {
    localEnv: Record<string, string>;
    localStateFile: string;
  }
}

/**
 * Starts the emulators once for all integration tests, on free ports, and stops them afterwards.
 * Also writes a local-stack description, so the CLI can be run against them as a user would.
 */
export default async function setup(project: TestProject) {
  const cloud = await startLocalCloud();
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-test-'));
  const stateFile = join(dir, 'local.json');
  writeLocalState(
    {
      apiUrl: 'http://127.0.0.1:9/',
      mailUrl: `${cloud.endpoints.ses}/`,
      issuerUrl: cloud.identity.issuerUrl,
      clientId: cloud.identity.clientId,
      dynamodbEndpoint: cloud.endpoints.dynamodb,
      sqsEndpoint: cloud.endpoints.sqs,
      sesEndpoint: cloud.endpoints.ses,
      region: cloud.region,
      env: { ...cloud.env },
      pid: process.pid,
      startedAt: new Date().toISOString(),
    },
    stateFile,
  );
  project.provide('localEnv', { ...cloud.env });
  project.provide('localStateFile', stateFile);
  return async () => {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
