import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { bundlingDefaults } from '../defaults/function-defaults';
import { inlineBrowserScripts, sdkTrims } from './esbuild-plugins';

/** The project root: esbuild resolves `bundlingDefaults.alias` and the entry points from here. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const handlersDir = join(projectRoot, 'functions', 'handlers');

/** The bundle's file name in a function's code, and the function's handler setting that points into it. */
export const bundleFile = 'index.mjs';
export const lambdaHandler = 'index.handler';

/** Every Lambda entry point: the files of `functions/handlers/`, without `.ts`. */
export const handlerNames = () =>
  readdirSync(handlersDir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();

/**
 * Files (relative to the project root) that a handler reads beside its own module at run time, copied
 * next to its bundle, since a bundle ships without node_modules: the dashboard inlines uPlot (see
 * `functions/templates/vendor-assets.ts`, which reads them from node_modules locally).
 */
export const bundledFiles: Readonly<Record<string, readonly string[]>> = {
  'dashboard-page': ['node_modules/uplot/dist/uPlot.iife.min.js', 'node_modules/uplot/dist/uPlot.min.css'],
};

/**
 * esbuild's options for an entry point bundled like a handler: `bundlingDefaults`, the SDK trims, and
 * the pages' browser scripts bundled in as text (see `browser-scripts.ts`).
 */
export const entryBuildOptions = (entryPoint: string): BuildOptions => ({
  ...bundlingDefaults,
  entryPoints: [entryPoint],
  absWorkingDir: projectRoot,
  bundle: true,
  plugins: [...sdkTrims, inlineBrowserScripts],
  logLevel: 'warning',
});

/** esbuild's options for one of `handlerNames()`. */
export const handlerBuildOptions = (handler: string): BuildOptions =>
  entryBuildOptions(join(handlersDir, `${handler}.ts`));

export interface Bundle {
  /** Size of the minified bundle, the files copied beside it not included. */
  readonly bytes: number;
  readonly metafile: Metafile;
}

/** Bundles with `options`; with `outdir`, writes `index.mjs` there, else only measures. */
const bundleWith = async (options: BuildOptions, outdir?: string): Promise<Bundle> => {
  const result = await build({
    ...options,
    outfile: join(outdir ?? projectRoot, bundleFile),
    write: outdir !== undefined,
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return { bytes, metafile: result.metafile };
};

/** Bundles any entry point the way handlers are bundled (benchmarks use it for their baselines). */
export const bundleEntry = (entryPoint: string, outdir?: string) =>
  bundleWith(entryBuildOptions(entryPoint), outdir);

/**
 * Bundles a handler as the stack deploys it. With `outdir`, writes `index.mjs` and the handler's
 * `bundledFiles` there; without, only measures.
 */
export const bundleHandler = async (
  handler: string,
  outdir?: string,
): Promise<Bundle & { readonly handler: string }> => {
  const bundle = await bundleWith(handlerBuildOptions(handler), outdir);
  if (outdir !== undefined) {
    mkdirSync(outdir, { recursive: true });
    for (const file of bundledFiles[handler] ?? []) {
      copyFileSync(join(projectRoot, file), join(outdir, basename(file)));
    }
  }
  return { handler, ...bundle };
};
