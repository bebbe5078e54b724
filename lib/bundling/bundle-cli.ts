import { bundleHandler } from './handler-bundle';

/**
 * `node --import tsx lib/bundling/bundle-cli.ts HANDLER OUTDIR`: bundles one handler into OUTDIR.
 * The stack runs it in a child process while synthesising (CDK asks for bundles synchronously, and
 * esbuild runs plugins only in its asynchronous API).
 */
const [handler, outdir] = process.argv.slice(2);
if (handler === undefined || outdir === undefined) {
  process.stderr.write('usage: bundle-cli.ts HANDLER OUTDIR\n');
  process.exit(2);
}
await bundleHandler(handler, outdir);
