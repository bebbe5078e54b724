import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * A browser file from an npm package, read once when the module loads, to be inlined in a page. In
 * Lambda the handler is one esbuild bundle without node_modules, and the stack copies the file next
 * to the bundle (`lib/constructs/node-function.ts`); locally it is read from node_modules.
 */
const vendorFile = (packagePath: string) => {
  const beside = fileURLToPath(new URL(`./${packagePath.split('/').at(-1)}`, import.meta.url));
  const path = existsSync(beside) ? beside : createRequire(import.meta.url).resolve(packagePath);
  return readFileSync(path, 'utf8');
};

/** uPlot (MIT), a small canvas charting library: its browser build and its stylesheet. */
export const uPlotScript = vendorFile('uplot/dist/uPlot.iife.min.js');
export const uPlotStyles = vendorFile('uplot/dist/uPlot.min.css');

// Inlined in a page, neither may close its element early.
if (/<\/script/i.test(uPlotScript) || /<\/style/i.test(uPlotStyles)) {
  throw new Error('uPlot cannot be inlined: it contains a closing script or style tag');
}
