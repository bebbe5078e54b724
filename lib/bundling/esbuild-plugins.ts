import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { browserScripts, browserScriptsModule, bundleBrowserScript } from './browser-scripts';

/**
 * The AWS SDK's generated schemas key their traits with constants (`{ [_e]: _c }`), which esbuild
 * must assume have side effects, so it keeps every schema of a client, used or not: about 50 KB of
 * S3's and 45 KB of SES's (aws/aws-sdk-js-v3#7607, fixed upstream by smithy-typescript#1889). Writing
 * the keys as the literal strings they are lets tree shaking drop the unused ones; nothing else
 * changes. Once the SDK ships literal keys this finds nothing to replace.
 */
export const literalSchemaKeys: Plugin = {
  name: 'literal-schema-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/].+[\\/]schemas[\\/]schemas_\d+\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const strings = new Map<string, string>();
      for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("[^"\\]*");$/gm)) {
        if (name !== undefined && literal !== undefined) strings.set(name, literal);
      }
      return {
        contents: source.replace(/\[(_\w+)\]:/g, (key, name: string) => {
          const literal = strings.get(name);
          return literal === undefined ? key : `${literal}:`;
        }),
        loader: 'js',
      };
    });
  },
};

/**
 * SDK clients import their whole `package.json` to read its version (for the user agent); esbuild
 * then bundles all of it, dependency lists included (~2.5 KB a client). Only the name and version
 * are kept.
 */
export const packageVersionOnly: Plugin = {
  name: 'package-version-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, ({ path }) => {
      const { name, version } = JSON.parse(readFileSync(path, 'utf8')) as { name: string; version: string };
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Event streams (`@smithy/core/event-streams`, ~19 KB) serve only operations that we never call:
 * none in DynamoDB, SQS or SES, S3's SelectObjectContent. Every client still loads them, lazily (one
 * dynamic import, which esbuild inlines since a bundle is one file) or, for S3, to build the client.
 * `without-event-streams.ts` stands in for them: clients build as before, such an operation fails.
 */
export const withoutEventStreams: Plugin = {
  name: 'without-event-streams',
  setup(build) {
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, () => ({
      path: here('./without-event-streams.ts'),
    }));
  },
};

/**
 * The DynamoDB client's endpoint cache (`@aws-sdk/endpoint-cache`) holds its entries in mnemonist's
 * LRU cache, CommonJS with helpers (~7 KB); `lru-cache.ts` does the same with a Map.
 */
export const mapBackedLruCache: Plugin = {
  name: 'map-backed-lru-cache',
  setup(build) {
    build.onResolve({ filter: /^mnemonist\/lru-cache(\.js)?$/ }, () => ({ path: here('./lru-cache.ts') }));
  },
};

/** Every trim, in the order esbuild should try them. */
export const sdkTrims: readonly Plugin[] = [
  literalSchemaKeys,
  packageVersionOnly,
  withoutEventStreams,
  mapBackedLruCache,
];

/**
 * In the Lambda bundles, `browser-scripts.ts` (which bundles the pages' scripts with esbuild when
 * first asked, under tsx and vitest) is replaced by getters returning the scripts bundled now, with
 * the same options: esbuild stays out of the bundle and the page inlines exactly the same text.
 * Unused getters are tree-shaken, so a handler carries only its own pages' scripts.
 */
export const inlineBrowserScripts: Plugin = {
  name: 'inline-browser-scripts',
  setup(build) {
    build.onLoad({ filter: /[\\/]lib[\\/]bundling[\\/]browser-scripts\.ts$/ }, async ({ path }) => {
      if (path !== browserScriptsModule) return undefined;
      const getters = await Promise.all(
        Object.entries(browserScripts).map(
          async ([getter, script]) =>
            `export const ${getter} = () => ${JSON.stringify(await bundleBrowserScript(script))};`,
        ),
      );
      return { contents: getters.join('\n'), loader: 'js', resolveDir: dirname(path) };
    });
  },
};
