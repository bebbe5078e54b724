import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** The Chromium the browser tests launch (see test/support/browser.ts). */
const chromiumPath = () => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The major version `java -version` reports (`"17.0.15"` → 17, `"1.8.0_402"` → 8), or undefined without Java. */
const javaMajorVersion = (): number | undefined => {
  const check = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (check.error !== undefined || check.status !== 0) return undefined;
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${check.stderr}${check.stdout}`);
  if (version === null) return Number.POSITIVE_INFINITY; // runs, but says it differently: let it try
  return version[1] === '1' ? Number(version[2]) : Number(version[1]);
};

/** What the integration and end-to-end tests need from the machine and do not find, as short phrases. */
export const missingRequirements = (): string[] => {
  const missing: string[] = [];
  const java = javaMajorVersion();
  if (java === undefined) {
    missing.push(
      'no Java runtime for DynamoDB Local (`java` is not on the PATH; install Java 17+, e.g. `sudo apt-get install -y openjdk-17-jre-headless`)',
    );
  } else if (java < 17) {
    missing.push(
      `Java ${java} is too old for DynamoDB Local (it needs 17+, e.g. \`sudo apt-get install -y openjdk-17-jre-headless\`)`,
    );
  }
  try {
    accessSync(chromiumPath(), constants.X_OK);
  } catch {
    missing.push(
      `no Chromium at ${chromiumPath()} for the browser tests (\`sudo apt-get install -y chromium\`, or set CHROMIUM_PATH)`,
    );
  }
  return missing;
};

/**
 * Vitest global setup, first of the integration project's (so it runs before the emulators start and
 * before any test): a missing Java runtime or Chromium is said in one line, and the run stops there
 * instead of failing file after file with stack traces.
 */
export default function preflight() {
  const missing = missingRequirements();
  if (missing.length === 0) return;
  // One line and exit: a thrown error would come back as vitest's multi-line "Unhandled Error" report.
  process.stderr.write(`\ncloseloop tests cannot run: ${missing.join('; and ')}. Nothing was run.\n`);
  process.exit(1);
}
