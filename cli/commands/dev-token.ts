import { decodeJwt } from 'jose';
import { issueDevToken } from '../../local/dev-auth';
import { UsageError } from '../errors';
import type { Target } from '../target';
import { jsonLine, type Terminal } from '../terminal';

/** How long a development token lasts. */
const tokenHours = 12;

/**
 * `closeloop dev-token`: a token for the signed-in API of the local stack, printed bare (for `$(…)`)
 * or, with `--json`, as `{"token", "email", "role", "expiresAt"}`.
 */
export const runDevToken = async (
  target: Pick<Target, 'name' | 'env'>,
  options: { readonly email: string; readonly role?: string; readonly json?: boolean },
  terminal: Terminal,
): Promise<void> => {
  const secret = target.env.LOCAL_AUTH_SECRET;
  if (target.name !== 'local' || secret === undefined) {
    throw new UsageError(
      'development tokens exist only on the local stack; in AWS, sign in through the Cognito user pool',
    );
  }
  const role = options.role ?? 'manager';
  const groups = role === 'manager' ? [] : [role];
  const token = await issueDevToken(secret, options.email, tokenHours, groups);
  if (options.json !== true) {
    terminal.stdout.write(`${token}\n`);
    return;
  }
  const claims = decodeJwt(token);
  terminal.stdout.write(
    jsonLine({
      token,
      email: claims.email,
      role,
      expiresAt: new Date((claims.exp ?? 0) * 1000).toISOString(),
    }),
  );
};
