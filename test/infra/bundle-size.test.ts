import { beforeAll, describe, expect, it } from 'vitest';
import { maxBundleKilobytes, measureBundles } from '../../bench/bundle-size';
import { bundleHandler, handlerNames } from '../../lib/bundling/handler-bundle';

let sizes: Awaited<ReturnType<typeof measureBundles>>;

beforeAll(async () => {
  // The very bundles the stack deploys and `npm run bench` reports (esbuild takes a few seconds a
  // handler: over a minute for all of them on a busy 2-core machine).
  sizes = await measureBundles();
}, 180_000);

describe('Lambda bundles', () => {
  it('bundles every handler', () => {
    expect(sizes.map(({ handler }) => handler)).toEqual(handlerNames());
  });

  it(`keeps every function within ${maxBundleKilobytes} KB, minified`, () => {
    expect(sizes.filter(({ kilobytes }) => kilobytes > maxBundleKilobytes)).toEqual([]);
  });

  it.each(['survey', 'exports'])(
    'leaves out of %s what Lambda never runs: the default credential chain, event streams, mnemonist',
    async (handler) => {
      const { metafile } = await bundleHandler(handler);
      const leftOut =
        /credential-provider-(node|ini|sso|process|web-identity|http)|nested-clients|token-providers|submodules[\\/]event-streams|mnemonist/;
      expect(Object.keys(metafile.inputs).filter((input) => leftOut.test(input))).toEqual([]);
    },
  );

  it.each(['health', 'dashboard-page', 'manager-page'])(
    'bundles no AWS SDK into %s, which calls no AWS service',
    async (handler) => {
      const { metafile } = await bundleHandler(handler);
      expect(Object.keys(metafile.inputs).filter((input) => /@aws-sdk|@smithy/.test(input))).toEqual([]);
    },
  );
});
