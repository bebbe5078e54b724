import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, type BuildResult, build, buildSync } from 'esbuild';

/**
 * The pages' browser scripts (`functions/browser/*.ts`, typed with the DOM library by their own
 * tsconfig), bundled for the browser and inlined by the page templates under the response's CSP nonce.
 *
 * A template calls the script's getter below (`surveyPageScript()`, ...). Under tsx and vitest (the
 * local runtime, the tests) this module is what runs: the getter bundles its script with esbuild at
 * first use and keeps the text. In a Lambda bundle this module never runs: the `inlineBrowserScripts`
 * esbuild plugin (`esbuild-plugins.ts`) replaces it with getters returning the text bundled with the
 * same `browserBuildOptions`, so neither esbuild nor any build step ships, and each handler carries
 * only the scripts its templates call.
 */

/** Each getter's script: `functions/browser/<name>.ts`. */
export const browserScripts = {
  surveyPageScript: 'survey-page',
  managerPageScript: 'manager-page',
  dashboardPageScript: 'dashboard-page',
} as const;

export type BrowserScript = (typeof browserScripts)[keyof typeof browserScripts];

const browserDir = fileURLToPath(new URL('../../functions/browser/', import.meta.url));

/** This module's own path: the one the plugin replaces. */
export const browserScriptsModule = fileURLToPath(import.meta.url);

/**
 * One self-contained, minified script (an IIFE, so nothing leaks into the page's globals) for the
 * browsers of the last few years; the domain modules it imports are bundled in.
 */
export const browserBuildOptions = (script: BrowserScript) =>
  ({
    entryPoints: [join(browserDir, `${script}.ts`)],
    tsconfig: join(browserDir, 'tsconfig.json'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'edge111', 'firefox114', 'safari16.4'],
    minify: true,
    legalComments: 'none',
    sourcemap: false,
    write: false,
    logLevel: 'warning',
  }) satisfies BuildOptions;

/** The bundled text, checked to be safe inside a `<script>` element. */
const scriptText = (script: BrowserScript, result: Pick<BuildResult, 'outputFiles'>) => {
  const text = result.outputFiles?.[0]?.text.trimEnd();
  if (text === undefined) throw new Error(`esbuild wrote no output for the browser script ${script}`);
  if (/<\/script|<!--/i.test(text)) {
    throw new Error(`The browser script ${script} cannot be inlined: it contains </script or <!--`);
  }
  return text;
};

/** Bundles a script (for the Lambda bundles, whose esbuild plugins run asynchronously). */
export const bundleBrowserScript = async (script: BrowserScript) =>
  scriptText(script, await build(browserBuildOptions(script)));

const bundled = new Map<BrowserScript, string>();

/** The script, bundled at first use and kept (templates render synchronously, hence `buildSync`). */
export const browserScript = (script: BrowserScript): string => {
  let text = bundled.get(script);
  if (text === undefined) {
    text = scriptText(script, buildSync(browserBuildOptions(script)));
    bundled.set(script, text);
  }
  return text;
};

export const surveyPageScript = () => browserScript(browserScripts.surveyPageScript);
export const managerPageScript = () => browserScript(browserScripts.managerPageScript);
export const dashboardPageScript = () => browserScript(browserScripts.dashboardPageScript);
