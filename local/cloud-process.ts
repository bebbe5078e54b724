import { startLocalCloud } from './local-cloud';

/**
 * Runs the local cloud in a process of its own and prints its description as one JSON line; stops
 * on SIGTERM. For measurements where the emulators' CPU must not be charged to the code under test.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const cloud = await startLocalCloud();
process.stdout.write(
  `${JSON.stringify({ endpoints: cloud.endpoints, region: cloud.region, env: cloud.env })}\n`,
);
const stop = async () => {
  await cloud.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
