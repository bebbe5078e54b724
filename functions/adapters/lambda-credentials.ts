import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The credential provider of the Lambda bundles, in place of the SDK's default chain
 * (`@aws-sdk/credential-provider-node`, which the bundler swaps for this module: see `alias` in
 * `lib/defaults/function-defaults.ts`). Lambda hands a function its role's credentials in the
 * environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), so the chain's
 * other providers (SSO, shared ini files, credential processes, web identity, container and instance
 * metadata) and the STS and SSO clients they bring, ~130 KB per bundle, would never run there.
 *
 * Only the bundles get this: tests, tools and `npm start` run the sources, with the full chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
