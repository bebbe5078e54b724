import { bundleHandler, handlerNames } from '../lib/bundling/handler-bundle';

/** The bundle limit of every function (docs and `npm run bench` report against it). */
export const maxBundleKilobytes = 400;

/**
 * Bundles every handler exactly as the stack does (`lib/bundling/handler-bundle.ts`: minified ESM,
 * SDK included and trimmed) and reports its size in KB (1024 bytes).
 */
export const measureBundles = async () => {
  const bundles = await Promise.all(handlerNames().map((handler) => bundleHandler(handler)));
  return bundles.map(({ handler, bytes }) => ({ handler, kilobytes: Math.round(bytes / 1024) }));
};
