import { buildApp } from 'fauxqs';
import { localRegion } from './local-aws';
import type { RunningEmulator } from './ports';

/** Starts the fauxqs SQS emulator in this process, on 127.0.0.1. */
export const startSqsEmulator = async ({ port }: { port: number }): Promise<RunningEmulator> => {
  const app = buildApp({ logger: false, defaultRegion: localRegion });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => app.close(),
  };
};
