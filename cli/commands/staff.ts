import { type Command, Option } from 'commander';
import { createStaffDirectory } from '../../functions/adapters/staff-directory';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { type AllStoreRole, allStoreRoles } from '../../functions/domain/access';
import { email as emailSchema } from '../../functions/schemas/common';
import { registryTables } from '../../functions/shared/config';
import { addStaff, listStaff, type StaffSyncResult, syncStaff } from '../../functions/use-cases/sync-staff';
import { UsageError } from '../errors';
import { resolveTarget, type Target } from '../target';
import { jsonLine, type Terminal } from '../terminal';

/** The staff directory and the stores of the target. */
export const staffDeps = (target: Target) => {
  const { client, userPoolId } = target.userPool();
  return {
    directory: createStaffDirectory(client, userPoolId),
    stores: createStoreRepository(target.documentClient(), registryTables(target.env).stores),
  };
};

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export const formatStaffSync = (result: StaffSyncResult) => {
  if (result.changes.length === 0)
    return 'Staff accounts already follow the stores registry: nothing to change.\n';
  const heading = result.dryRun
    ? `Dry run: ${plural(result.changes.length, 'change')} would be made (run without --dry-run to make them):`
    : `${plural(result.changes.length, 'change')}:`;
  const skipped = result.skipped.map((line) => `Skipped: ${line}\n`).join('');
  return `${heading}\n${result.changes.map((change) => `  ${change.description}\n`).join('')}${skipped}`;
};

/**
 * `closeloop staff sync|add|list`: staff accounts, in the local identity provider or in Cognito.
 * Returns the `staff` command, so sibling subcommands can be added to it.
 */
export const registerStaffCommand = (program: Command, terminal: Terminal, exit: (code: number) => void) => {
  const staff = program
    .command('staff')
    .description(
      'Staff accounts (store and regional managers, marketing, admins): in the local identity provider, ' +
        'or in the Cognito user pool with CLOSELOOP_TARGET=aws.',
    );

  staff
    .command('sync')
    .description(
      'Make the accounts follow the stores registry: invite every store and regional manager who has no ' +
        'account, bind each store to its managers’ accounts, disable managers who manage no store any more ' +
        '(marketing and admins are never touched). Safe to run again.',
    )
    .option('--dry-run', 'print what would change, change nothing')
    .option('--json', 'print {dryRun, changes, skipped} as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      const result = await syncStaff(staffDeps(resolveTarget()), { dryRun: options.dryRun === true });
      terminal.stdout.write(options.json === true ? jsonLine(result) : formatStaffSync(result));
      exit(result.skipped.length > 0 ? 1 : 0);
    });

  staff
    .command('add')
    .description(
      'Give a marketer or an administrator an account (invited by e-mail) in their group; both see every store.',
    )
    .requiredOption('--email <address>', 'their e-mail address (their sign-in name)')
    .addOption(new Option('--role <role>', 'their group').choices([...allStoreRoles]).makeOptionMandatory())
    .option('--password <password>', 'local stack only (demos, tests): set this password instead of inviting')
    .option('--json', 'print {email, sub, role, changes} as JSON')
    .action(async (options: { email: string; role: AllStoreRole; password?: string; json?: boolean }) => {
      const target = resolveTarget();
      if (options.password !== undefined && target.name !== 'local')
        throw new UsageError('--password is for the local stack only: in AWS, staff are invited by e-mail');
      const address = emailSchema().safeParse(options.email);
      if (!address.success) throw new UsageError(`--email: ${options.email} is not an e-mail address`);
      const result = await addStaff(staffDeps(target), { ...options, email: address.data });
      terminal.stdout.write(
        options.json === true
          ? jsonLine(result)
          : result.changes.length === 0
            ? `${result.email} is already in ${result.role}: nothing to change.\n`
            : `${result.email}: ${result.changes.join(', ')}.\n`,
      );
      exit(0);
    });

  staff
    .command('list')
    .description('List the staff accounts with their groups, state and the store roles bound to them.')
    .option('--json', 'print one JSON object per account')
    .action(async (options: { json?: boolean }) => {
      const accounts = await listStaff(staffDeps(resolveTarget()));
      if (options.json === true) {
        for (const account of accounts) terminal.stdout.write(jsonLine(account));
      } else if (accounts.length === 0) {
        terminal.stdout.write('No staff accounts yet: run `closeloop staff sync`.\n');
      } else {
        for (const account of accounts) {
          const stores = account.stores.map(({ storeId, role }) =>
            role === 'manager' ? storeId : `${storeId} (regional)`,
          );
          terminal.stdout.write(
            `${account.email}  ${account.groups.join(',') || '-'}  ${account.enabled ? 'enabled' : 'disabled'}` +
              `${account.status === 'FORCE_CHANGE_PASSWORD' ? ' (invited)' : ''}` +
              `${stores.length > 0 ? `  stores: ${stores.join(', ')}` : ''}\n`,
          );
        }
      }
      exit(0);
    });

  return staff;
};
