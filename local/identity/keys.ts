import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The local provider's secrets: the RS256 key that signs its tokens, and the keys of its cookies. */
export interface ProviderKeys {
  readonly signingKey: JWK;
  readonly cookieKeys: readonly string[];
}

const generateKeys = async (): Promise<ProviderKeys> => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return {
    signingKey: { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
};

/**
 * Fresh keys each run, or, with `file` (the stack keeps its data), the keys kept in it, so that
 * tokens and sessions outlive a restart as they do in Cognito.
 */
export const providerKeys = async (file?: string): Promise<ProviderKeys> => {
  if (file !== undefined) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as ProviderKeys;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const keys = await generateKeys();
  if (file !== undefined) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return keys;
};
