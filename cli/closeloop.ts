import { Command, Option } from 'commander';
import { createAnswerRepository } from '../functions/adapters/answer-repository';
import { createCaseRepository } from '../functions/adapters/case-repository';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createStoreRepository } from '../functions/adapters/store-repository';
import {
  aggregatesTable,
  casesTable,
  customerEmailsTable,
  customersTable,
  surveysTable,
} from '../functions/resources/tables';
import { registryTables, tableNamesFrom } from '../functions/shared/config';
import { scheduleDeps } from '../functions/shared/dependencies';
import { importCustomers } from '../functions/use-cases/import-customers';
import { importStores } from '../functions/use-cases/import-stores';
import { runTick } from '../functions/use-cases/schedule-surveys';
import { listTestimonials } from '../functions/use-cases/testimonials';
import { issueDevToken } from '../local/dev-auth';
import { LocalStackNotRunningError } from '../local/state';
import { formatCases } from './commands/followups';
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

program
  .command('tick')
  .description(
    'Run every time-driven job as of an instant: queue the surveys that are due and the reminders. ' +
      'In AWS this runs hourly; locally, pass --now to move through time (the local stack then sends the mail).',
  )
  .option(
    '--now <iso>',
    'the instant to run as of (ISO 8601, e.g. 2027-06-01T09:00:00Z)',
    new Date().toISOString(),
  )
  .action(async (options: { now: string }) => {
    const now = new Date(options.now);
    if (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(options.now)) {
      throw new UsageError(
        `--now must be an ISO 8601 date-time such as 2027-06-01T09:00:00Z, got "${options.now}"`,
      );
    }
    const target = resolveTarget();
    const queued = await runTick(scheduleDeps(target.documentClient(), target.sqsClient(), target.env), now);
    process.stdout.write(
      `tick as of ${now.toISOString()}: queued ${queued.invitations} invitations, ${queued.reminders} reminders, ` +
        `${queued.recounts} answers to recount, ${queued.escalations} overdue cases to escalate and ` +
        `${queued.digests} daily digests.\n`,
    );
  });

program
  .command('followups')
  .description('List detractor follow-up cases, soonest due first; overdue cases are flagged.')
  .option('--store <storeId>', 'only this store')
  .addOption(
    new Option('--status <status>', 'only cases with this status').choices([
      'open',
      'contacted',
      'resolved',
      'no-answer',
    ]),
  )
  .option('--json', 'one JSON object per line instead of a table')
  .action(async (options: { store?: string; status?: string; json?: boolean }) => {
    const target = resolveTarget();
    const cases = createCaseRepository(
      target.documentClient(),
      tableNamesFrom({ cases: casesTable }, target.env).cases,
    );
    const listed = (await cases.list(options.store)).filter(
      (caseRecord) => !options.status || caseRecord.status === options.status,
    );
    process.stdout.write(
      options.json
        ? listed.map((caseRecord) => `${JSON.stringify(caseRecord)}\n`).join('')
        : formatCases(listed, new Date()),
    );
  });

program
  .command('testimonials')
  .description('List testimonial candidates: promoters (9-10) who said why in words, newest first.')
  .option('--store <storeId>', 'only this store')
  .option('--json', 'one JSON object per line instead of text')
  .action(async (options: { store?: string; json?: boolean }) => {
    const target = resolveTarget();
    const db = target.documentClient();
    const tables = tableNamesFrom(
      {
        customers: customersTable,
        customerEmails: customerEmailsTable,
        surveys: surveysTable,
        aggregates: aggregatesTable,
      },
      target.env,
    );
    const candidates = await listTestimonials(
      { answers: createAnswerRepository(db, tables), customers: createCustomerRepository(db, tables) },
      { storeId: options.store },
    );
    if (options.json) {
      process.stdout.write(candidates.map((candidate) => `${JSON.stringify(candidate)}\n`).join(''));
      return;
    }
    process.stdout.write(
      candidates.length === 0
        ? 'No testimonial candidates yet.\n'
        : `${candidates
            .map(
              (candidate) =>
                `${candidate.answeredAt.slice(0, 10)}  ${candidate.storeId}  ${candidate.score}/10  ${candidate.name || '-'} <${candidate.email}>` +
                `${candidate.contactStatus === 'subscribed' ? '' : ` (${candidate.contactStatus})`}\n    "${candidate.comment}"`,
            )
            .join('\n')}\n`,
    );
  });

program
  .command('dev-token')
  .description(
    'Print a development token for the manager API of the local stack (12 hours), e.g. ' +
      'curl -H "Authorization: Bearer $(npx closeloop dev-token --email m@x)" $API/m/cases. In AWS, managers sign in with Cognito.',
  )
  .requiredOption('--email <address>', "the manager's e-mail address, as in the stores CSV")
  .action(async (options: { email: string }) => {
    const target = resolveTarget();
    const secret = target.env.LOCAL_AUTH_SECRET;
    if (target.name !== 'local' || secret === undefined) {
      throw new UsageError(
        'development tokens exist only on the local stack; in AWS, sign in through the Cognito user pool',
      );
    }
    process.stdout.write(`${await issueDevToken(secret, options.email)}\n`);
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
