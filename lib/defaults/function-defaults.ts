import { Duration } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** What a function may override; everything else comes from `functionDefaults`. */
export interface FunctionTuning {
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

/**
 * Defaults for every closeloop function: the current Node.js runtime on arm64 (cheaper per ms),
 * explicit memory and timeout, X-Ray tracing, JSON logs kept for a month, and a minified ESM bundle.
 */
export const functionDefaults = {
  runtime: Runtime.NODEJS_24_X,
  architecture: Architecture.ARM_64,
  memorySize: 256,
  timeout: Duration.seconds(10),
  tracing: Tracing.ACTIVE,
  loggingFormat: LoggingFormat.JSON,
  logRetention: RetentionDays.ONE_MONTH,
} as const;

/**
 * Bundling: ESM with the SDK bundled (pinned with the code rather than whatever the runtime ships),
 * `module` fields first so the SDK tree-shakes, and a `require` shim for CommonJS dependencies.
 */
export const bundlingDefaults: BundlingOptions = {
  format: OutputFormat.ESM,
  minify: true,
  sourceMap: false,
  target: 'node24',
  mainFields: ['module', 'main'],
  externalModules: [],
  banner:
    "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);",
};
