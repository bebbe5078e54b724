import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { projectRoot } from './handler-bundle';

const bundleCli = fileURLToPath(new URL('./bundle-cli.ts', import.meta.url));

/** Bundles on this machine with `bundleHandler` (esbuild is a dev dependency, so always here). */
class LocalHandlerBundling implements ILocalBundling {
  // A field, not a closure: CDK tells assets apart by their bundling options' data.
  constructor(readonly handler: string) {}

  tryBundle(outputDir: string): boolean {
    execFileSync(process.execPath, ['--import', 'tsx', bundleCli, this.handler, outputDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return true;
  }
}

/**
 * A handler's code, bundled by `bundleHandler` (the same bundle `npm run bench` measures) into
 * `index.mjs`, plus the files it reads beside it. Like NodejsFunction's, the asset is hashed by its
 * output; unlike it, bundling runs esbuild's API, whose plugins trim the SDK (see `esbuild-plugins.ts`).
 */
export const handlerCode = (handler: string): Code =>
  Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling either succeeds or throws.
      image: DockerImage.fromRegistry('closeloop/bundles-locally'),
      local: new LocalHandlerBundling(handler),
    },
  });
