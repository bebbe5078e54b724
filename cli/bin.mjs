#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx closeloop` works straight from a clone.
// Checked before anything is loaded: on an older Node the CLI would fail somewhere less clear.
if (Number(process.versions.node.split('.')[0]) < 24) {
  process.stderr.write(
    `closeloop needs Node.js 24 (the Lambda runtime), not ${process.version}; run it through npm — ` +
      "`npm start`, `npx closeloop` — which uses the project's own Node 24 from node_modules\n",
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./closeloop.ts');
