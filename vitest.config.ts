import { defineConfig } from 'vitest/config';

const env = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/**
 * The tests on the emulators run in two lanes at once (`test/run-lanes.mjs`), each on emulators of
 * its own: the browser tests and the files that mostly wait (on held answers, on SES's rate) in
 * `e2e`, the rest in `integration`, about as long. Within a lane the files run one at a time: they
 * share the lane's DynamoDB Local.
 */
const secondLane = [
  'test/e2e/**/*.test.ts',
  // Sends at the account's low SES rate for a minute and more.
  'test/integration/ses-throttling.test.ts',
  // Waits out each case's coalescing interval.
  'test/integration/case-update-mails.test.ts',
  // Simulated weeks and years of ticks, and the bulk import's worker processes: to even out the lanes.
  'test/integration/send-windows.test.ts',
  'test/integration/win-back-year.test.ts',
  'test/integration/invitation-delivery.test.ts',
  'test/integration/bulk-import.test.ts',
];
const emulatorLane = (name: string, include: string[], exclude: string[] = []) => ({
  test: {
    name,
    include,
    exclude,
    env,
    // Preflight first: a missing Java or Chromium is one line, before the emulators start.
    globalSetup: ['test/support/preflight.ts', 'test/support/local-cloud-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env } },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          env,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      emulatorLane('integration', ['test/integration/**/*.test.ts'], secondLane),
      emulatorLane('e2e', secondLane),
    ],
  },
});
