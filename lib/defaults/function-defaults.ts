import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { BuildOptions } from 'esbuild';
import { defaultTimeoutSeconds } from '../../functions/resources/function-manifest';

/**
 * Defaults for every closeloop function: the current Node.js runtime on arm64 (cheaper per ms),
 * explicit memory and timeout, X-Ray tracing, JSON logs kept for a month, and a minified ESM bundle.
 */
export const functionDefaults = {
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  memorySize: 256,
  timeout: Duration.seconds(defaultTimeoutSeconds),
  tracing: Tracing.ACTIVE,
  loggingFormat: LoggingFormat.JSON,
  logRetention: RetentionDays.ONE_MONTH,
} as const;

/**
 * How esbuild bundles a function (see `lib/bundling/handler-bundle.ts`, used by the stack and by the
 * benchmark alike): one minified ESM file with the SDK inside (pinned with the code rather than
 * whatever the runtime ships), `module` fields first so the SDK tree-shakes, a `require` shim for
 * CommonJS dependencies, and the Lambda-only credential chain in place of the SDK's default one
 * (Lambda gives credentials in the environment; see `functions/adapters/lambda-credentials.ts`).
 */
export const bundlingDefaults: BuildOptions = {
  format: 'esm',
  platform: 'node',
  target: 'node24',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);",
  },
  alias: { '@aws-sdk/credential-provider-node': './functions/adapters/lambda-credentials.ts' },
};
