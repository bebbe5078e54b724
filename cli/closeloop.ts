import { Command, Option } from 'commander';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { registryTables } from '../functions/shared/config';
import { importCustomers } from '../functions/use-cases/import-customers';
import { importStores } from '../functions/use-cases/import-stores';
import { LocalStackNotRunningError } from '../local/state';
import { runCsvImport } from './commands/import-csv';
import { UsageError } from './errors';
import { resolveTarget } from './target';

const program = new Command('closeloop')
  .description(
    'closeloop: NPS surveys that close the loop.\n' +
      'Works against the local stack started by `npm start`, or against AWS with CLOSELOOP_TARGET=aws.',
  )
  .showHelpAfterError()
  .exitOverride();

const importOptions = (command: Command) =>
  command
    .option(
      '--rejects <file>',
      'where to write rejected rows with their reasons (default: FILE.rejected.csv)',
    )
    .addOption(new Option('--no-progress', 'do not show a progress bar'));

const registry = () => {
  const target = resolveTarget();
  const db = target.documentClient();
  const tables = registryTables(target.env);
  return {
    customers: createCustomerRepository(db, tables),
    stores: createStoreRepository(db, tables.stores),
  };
};

importOptions(
  program
    .command('import-customers')
    .argument('<file>', 'customers CSV: customerId,email,firstName,lastName,storeId,locale[,attribute...]')
    .description(
      'Import or update customers from a CSV file. Extra columns are kept as attributes. Bad rows are ' +
        'reported with their line numbers and skipped; good rows are imported. Safe to run again.',
    ),
).action(async (file: string, options: { rejects?: string; progress: boolean }) => {
  const deps = registry();
  process.exitCode = await runCsvImport(file, options, (records, hooks) =>
    importCustomers(records, deps, hooks),
  );
});

importOptions(
  program
    .command('import-stores')
    .argument('<file>', 'stores CSV: storeId,name,managerEmail,regionalManagerEmail,timezone')
    .description('Import or update stores from a CSV file. Safe to run again.'),
).action(async (file: string, options: { rejects?: string; progress: boolean }) => {
  const { stores } = registry();
  process.exitCode = await runCsvImport(file, options, (records, hooks) =>
    importStores(records, { stores }, hooks),
  );
});

try {
  await program.parseAsync();
} catch (error) {
  const known = error instanceof UsageError || error instanceof LocalStackNotRunningError;
  if (known) {
    process.stderr.write(`closeloop: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } else if ((error as { code?: string }).code?.startsWith('commander.')) {
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 2;
  } else {
    process.stderr.write(`closeloop: ${(error as Error).message ?? error}\n`);
    process.exitCode = 3;
  }
}
