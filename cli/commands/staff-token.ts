import type { Command } from 'commander';
import { decodeJwt } from 'jose';
import { SignInError, signInThroughForm } from '../../local/identity/sign-in';
import { UsageError } from '../errors';
import { resolveTarget, type Target } from '../target';
import { jsonLine, processTerminal, type Terminal } from '../terminal';

export interface StaffTokenOptions {
  readonly email: string;
  readonly password: string;
  readonly newPassword?: string;
  readonly json?: boolean;
}

/**
 * `closeloop staff token`: signs in through the local provider's own login form (code + PKCE, as the
 * pages do) and prints the ID token, bare (for `$(…)`) or with `--json` as
 * `{"idToken", "accessToken", "sub", "email", "groups", "expiresAt"}`. Returns the exit code: 0, or 1
 * when the provider refuses the sign-in.
 */
export const runStaffToken = async (
  target: Pick<Target, 'name' | 'env'>,
  options: StaffTokenOptions,
  terminal: Terminal,
  signIn: typeof signInThroughForm = signInThroughForm,
): Promise<number> => {
  const { OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: clientId } = target.env;
  if (target.name !== 'local') {
    throw new UsageError(
      "staff token signs in through the local stack's provider only; in AWS, staff sign in on the pages (Cognito managed login)",
    );
  }
  if (!issuerUrl || !clientId) {
    throw new UsageError('the local stack names no identity provider (OIDC_ISSUER_URL): restart `npm start`');
  }
  let tokens: Awaited<ReturnType<typeof signInThroughForm>>;
  try {
    tokens = await signIn({
      issuerUrl,
      clientId,
      email: options.email,
      password: options.password,
      ...(options.newPassword !== undefined && { newPassword: options.newPassword }),
    });
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    terminal.stderr.write(`closeloop: cannot sign in as ${options.email}: ${error.message}\n`);
    return 1;
  }
  if (options.json !== true) {
    terminal.stdout.write(`${tokens.idToken}\n`);
    return 0;
  }
  const claims = decodeJwt(tokens.idToken);
  terminal.stdout.write(
    jsonLine({
      idToken: tokens.idToken,
      accessToken: tokens.accessToken,
      sub: claims.sub,
      email: claims.email,
      groups: claims['cognito:groups'] ?? [],
      expiresAt: new Date((claims.exp ?? 0) * 1000).toISOString(),
    }),
  );
  return 0;
};

/** `closeloop staff token` (the `staff` group's other commands register beside it). */
export const registerStaffTokenCommand = (
  staff: Command,
  terminal: Terminal = processTerminal(),
  exit: (code: number) => void = (code) => {
    process.exitCode = code;
  },
) =>
  staff
    .command('token')
    .description(
      "Sign in through the local stack's login form (as the pages do) and print the ID token for the signed-in API, e.g. " +
        'curl -H "Authorization: Bearer $(npx closeloop staff token --email m@x --password P)" $API/m/cases. Local stack only.',
    )
    .requiredOption('--email <address>', "the staff account's e-mail address")
    .requiredOption('--password <password>', "the account's password")
    .option('--new-password <password>', 'an account on a temporary password chooses this one first')
    .option('--json', 'print the ID and access tokens with the sub, e-mail, groups and expiry as JSON')
    .addHelpText('after', '\nExit codes: 0 signed in, 1 the provider refused the sign-in.')
    .action(async (options: StaffTokenOptions) => {
      exit(await runStaffToken(resolveTarget(), options, terminal));
    });
