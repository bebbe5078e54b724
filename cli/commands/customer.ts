import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConflictError, NotFoundError } from '../../functions/domain/errors';
import {
  type CustomerPrivacyDeps,
  eraseCustomer,
  exportCustomerData,
} from '../../functions/use-cases/customer-privacy';
import { customerPrivacyDeps } from '../../functions/wiring/customer-erasure';
import { UsageError } from '../errors';
import { resolveTarget, type Target } from '../target';
import { jsonLine, processTerminal, type Terminal } from '../terminal';

export { processTerminal, type Terminal } from '../terminal';

/** The repositories a privacy request needs, on the tables of the target. */
export const privacyDeps = (target: Target): CustomerPrivacyDeps =>
  customerPrivacyDeps(target.documentClient(), target.env);

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const unknownCustomer = (terminal: Terminal, customerId: string, hint = '') => {
  terminal.stderr.write(`closeloop: no customer "${customerId}": nothing is stored under this id${hint}.\n`);
  return 1;
};

/**
 * `closeloop customer export ID`: everything stored about the customer, as pretty JSON on stdout or
 * in `out` (created readable by its owner only). Returns the exit code: 0, or 1 for an unknown id.
 */
export const runCustomerExport = async (
  deps: CustomerPrivacyDeps,
  customerId: string,
  options: { readonly out?: string; readonly json?: boolean },
  terminal: Terminal,
): Promise<number> => {
  let data: Awaited<ReturnType<typeof exportCustomerData>>;
  try {
    data = await exportCustomerData(deps, customerId);
  } catch (error) {
    if (error instanceof NotFoundError) return unknownCustomer(terminal, customerId);
    throw error;
  }
  const json = `${JSON.stringify(data, null, 2)}\n`;
  if (options.out === undefined) {
    terminal.stdout.write(json);
    return 0;
  }
  try {
    writeFileSync(options.out, json, { mode: 0o600 });
  } catch (error) {
    throw new UsageError(`cannot write ${options.out}: ${(error as Error).message}`);
  }
  if (options.json === true) {
    terminal.stdout.write(
      jsonLine({ customerId, out: options.out, surveys: data.surveys.length, cases: data.cases.length }),
    );
  }
  terminal.stderr.write(
    `Wrote everything stored about customer ${customerId} (${plural(data.surveys.length, 'survey')}, ` +
      `${plural(data.cases.length, 'case')}) to ${options.out}. It holds personal data: hand it over ` +
      'securely, then delete it.\n',
  );
  return 0;
};

/**
 * `closeloop customer erase ID`: asks for confirmation on a terminal (typing the id), refuses without
 * `--yes` anywhere else, then erases. Returns the exit code: 0 erased; 1 unknown id, not confirmed, or
 * not possible yet (the message says why and when to run it again); a refusal is a UsageError (2).
 */
export const runCustomerErase = async (
  deps: CustomerPrivacyDeps,
  customerId: string,
  options: { readonly yes?: boolean; readonly json?: boolean },
  terminal: Terminal,
  clock: () => Date = () => new Date(),
): Promise<number> => {
  if (options.yes !== true) {
    if (terminal.ask === undefined) {
      throw new UsageError(
        `refusing to erase customer ${customerId} without --yes: an erasure cannot be undone, and ` +
          'there is no terminal to confirm it on. Run it again with --yes.',
      );
    }
    let data: Awaited<ReturnType<typeof exportCustomerData>>;
    try {
      data = await exportCustomerData(deps, customerId);
    } catch (error) {
      if (error instanceof NotFoundError) return unknownCustomer(terminal, customerId);
      throw error;
    }
    const email = (data.customer as { email?: unknown } | null)?.email;
    const answer = await terminal.ask(
      `Erase the personal data of customer ${customerId}${typeof email === 'string' ? ` <${email}>` : ''}: ` +
        `their record, ${plural(data.surveys.length, 'survey')} and ${plural(data.cases.length, 'case')}? ` +
        'Their scores stay in the aggregates, anonymised. This cannot be undone.\n' +
        'Type the customer id to confirm: ',
    );
    if (answer.trim() !== customerId) {
      terminal.stderr.write('Nothing was erased.\n');
      return 1;
    }
  }
  let summary: Awaited<ReturnType<typeof eraseCustomer>>;
  try {
    summary = await eraseCustomer(deps, customerId, { now: clock() });
  } catch (error) {
    if (error instanceof ConflictError) {
      terminal.stderr.write(`closeloop: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (summary.customer === 'absent' && summary.surveys === 0 && summary.cases === 0) {
    return unknownCustomer(terminal, customerId, ' (erased already, or never imported)');
  }
  if (options.json === true) {
    terminal.stdout.write(jsonLine({ customerId, ...summary }));
    return 0;
  }
  terminal.stdout.write(
    `Erased customer ${customerId}: ${plural(summary.surveys, 'survey')} and ${plural(summary.cases, 'case')} ` +
      'anonymised (their scores stay in the aggregates); ' +
      (summary.customer === 'deleted'
        ? 'customer record and e-mail claim deleted.\n'
        : 'there was no customer record left.\n'),
  );
  return 0;
};

/**
 * Registers `closeloop customer export|erase`, writing to `terminal` and handing each command's exit
 * code to `exit`.
 */
export const registerCustomerCommand = (
  program: Command,
  terminal: Terminal = processTerminal(),
  exit: (code: number) => void = (code) => {
    process.exitCode = code;
  },
) => {
  const customer = program
    .command('customer')
    .description(
      'Privacy requests about one customer: export everything stored about them, or erase their personal data.',
    );
  customer
    .command('export')
    .argument('<customerId>', "the customer's id, as in the customers CSV")
    .description(
      'Print everything stored about a customer as JSON: their record, the claim on their e-mail address, ' +
        'every survey with every answer (without the secret link tokens) and every follow-up case with its notes.',
    )
    .option('--out <file>', 'write the JSON to this file (readable by you only) instead of stdout')
    .option('--json', 'with --out, print what was written as JSON (without --out the output is JSON already)')
    .addHelpText('after', '\nExit codes: 0 exported, 1 no such customer.')
    .action(async (customerId: string, options: { out?: string; json?: boolean }) => {
      exit(await runCustomerExport(privacyDeps(resolveTarget()), customerId, options, terminal));
    });
  customer
    .command('erase')
    .argument('<customerId>', "the customer's id, as in the customers CSV")
    .description(
      "Remove a customer's personal data everywhere: their record and e-mail claim are deleted; their " +
        'surveys and follow-up cases lose the comments, notes, name, e-mail and customer id. Scores stay in ' +
        'the aggregates. Asks for confirmation on a terminal. Safe to run again; finishes an interrupted erasure.',
    )
    .option('--yes', 'erase without asking (required when not run from a terminal)')
    .option('--json', 'print what was erased as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 erased; 1 no such customer, not confirmed, or not possible yet (an answer still ' +
        'on its way: the message says so; run it again a little later); 2 refused without --yes.\n' +
        'Remove the customer from the CRM file too, or the next import brings their profile back.',
    )
    .action(async (customerId: string, options: { yes?: boolean; json?: boolean }) => {
      exit(await runCustomerErase(privacyDeps(resolveTarget()), customerId, options, terminal));
    });
  return customer;
};
