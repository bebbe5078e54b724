import sesModule from 'aws-ses-v2-local';
import type { RunningEmulator } from './ports';

/** Starts aws-ses-v2-local in this process on 127.0.0.1; its page at `/` shows the mail sent. */
export const startSesEmulator = async ({ port }: { port: number }): Promise<RunningEmulator> => {
  // The package is CommonJS with a default export; Node's ESM loader may hand us either shape.
  const start = (sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule;
  const server = await start({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
