import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { bundlingDefaults } from '../lib/defaults/function-defaults';

/** Bundles every handler the way the stack does (minified ESM, SDK included) and reports its size. */
export const measureBundles = async () => {
  const handlers = readdirSync(new URL('../functions/handlers/', import.meta.url)).filter((file) =>
    file.endsWith('.ts'),
  );
  const sizes: { handler: string; kilobytes: number }[] = [];
  for (const file of handlers) {
    const result = await build({
      entryPoints: [new URL(`../functions/handlers/${file}`, import.meta.url).pathname],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: bundlingDefaults.target,
      minify: true,
      mainFields: [...(bundlingDefaults.mainFields ?? [])],
      banner: { js: bundlingDefaults.banner ?? '' },
    });
    sizes.push({
      handler: file.replace(/\.ts$/, ''),
      kilobytes: Math.round((result.outputFiles[0]?.contents.length ?? 0) / 1024),
    });
  }
  return sizes;
};
