// Runs a TypeScript entry point through tsx on the Lambda runtime's Node, for `npm start` and the CLI.
// The Node version is checked before anything is loaded: on an older Node they would fail somewhere
// less clear.
export const runTypeScript = async (entryUrl) => {
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
  await import(entryUrl);
};
