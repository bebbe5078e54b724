import { Command, Option } from 'commander';
import { createAggregateRepository } from '../functions/adapters/aggregate-repository';
import { createAnswerRepository } from '../functions/adapters/answer-repository';
import { createCaseRepository } from '../functions/adapters/case-repository';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { ValidationError } from '../functions/domain/errors';
import { defaultReportRange } from '../functions/domain/report';
import { segmentNames } from '../functions/domain/segments';
import {
  aggregatesTable,
  casesTable,
  customerEmailsTable,
  customersTable,
  storesTable,
  surveysTable,
} from '../functions/resources/tables';
import { describeIssues } from '../functions/schemas/common';
import { type Report, ReportQuery } from '../functions/schemas/report';
import { registryTables, tableNamesFrom } from '../functions/shared/config';
import { scheduleDeps } from '../functions/shared/dependencies';
import { importCustomers } from '../functions/use-cases/import-customers';
import { importStores } from '../functions/use-cases/import-stores';
import { buildReport } from '../functions/use-cases/report';
import { runTick } from '../functions/use-cases/schedule-surveys';
import { listTestimonials } from '../functions/use-cases/testimonials';
import { issueDevToken } from '../local/dev-auth';
import { LocalStackNotRunningError } from '../local/state';
import { registerCustomerCommand } from './commands/customer';
import { type ExportCommandOptions, runExport } from './commands/export';
import { formatCases } from './commands/followups';
import { runCsvImport } from './commands/import-csv';
import { formatReport } from './commands/report';
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
  .command('report')
  .description(
    'NPS with its 95% margin of error, counts and response rate: overall, per week or month, and per ' +
      'store, from the exact aggregates. Figures from fewer than 30 responses are flagged.',
  )
  .option('--from <date>', 'first day (YYYY-MM-DD, UTC); default: the first day of the month a year ago')
  .option('--to <date>', 'last day (YYYY-MM-DD, UTC); default: today')
  .addOption(
    new Option('--by <period>', 'split into days, weeks or months')
      .choices(['day', 'week', 'month'])
      .default('month'),
  )
  .option('--store <storeId>', 'only this store')
  .option('--json', 'the report as JSON')
  .action(async (options: { from?: string; to?: string; by: string; store?: string; json?: boolean }) => {
    const target = resolveTarget();
    const db = target.documentClient();
    const tables = tableNamesFrom({ aggregates: aggregatesTable, stores: storesTable }, target.env);
    const query = ReportQuery.safeParse({
      ...defaultReportRange(new Date()),
      ...Object.fromEntries(
        Object.entries({ from: options.from, to: options.to, by: options.by, store: options.store }).filter(
          ([, value]) => value !== undefined,
        ),
      ),
    });
    if (!query.success)
      throw new UsageError(
        describeIssues(query.error.issues)
          .map((issue) => `--${issue}`)
          .join('; '),
      );
    let report: Report;
    try {
      report = await buildReport(
        {
          aggregates: createAggregateRepository(db, tables.aggregates),
          stores: createStoreRepository(db, tables.stores),
        },
        { kind: 'all-stores', user: 'cli', role: 'admin' },
        query.data,
      );
    } catch (error) {
      if (error instanceof ValidationError) throw new UsageError(error.message);
      throw error;
    }
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  });

program
  .command('export')
  .description(
    'Export a marketing segment: each customer whose latest answer puts them in it, with that answer. ' +
      'CSV (RFC 4180, formulas neutralised) or JSON Lines, streamed to a file or stdout. Customers who ' +
      'may not be e-mailed (unsubscribed, bounced, complained) are flagged in mayEmail.',
  )
  .addOption(
    new Option(
      '--segment <segment>',
      'promoters (9-10), passives (7-8), detractors (0-6) or testimonials (promoters who said why)',
    )
      .choices([...segmentNames])
      .makeOptionMandatory(),
  )
  .option('--store <storeId...>', 'only customers of these stores')
  .option('--locale <locale...>', 'only customers with these locales (fr matches fr-CA)')
  .option('--attribute <name=value...>', 'only customers with these attribute values (e.g. tier=gold)')
  .option('--from <date>', 'latest answer on or after this day (YYYY-MM-DD, UTC)')
  .option('--to <date>', 'latest answer on or before this day (YYYY-MM-DD, UTC)')
  .addOption(new Option('--format <format>', 'file format').choices(['csv', 'jsonl']).default('csv'))
  .option('--out <file>', 'write to this file (default: stdout)')
  .option('--bom', 'start the CSV with a UTF-8 byte order mark (for Excel)')
  .option('--attribute-columns <names>', 'comma-separated attributes to give their own CSV columns')
  .option(
    '--every-response',
    "every response in the segment, not only each customer's latest (reads all answered surveys)",
  )
  .addOption(new Option('--no-progress', 'do not show a progress bar'))
  .action(async (options: ExportCommandOptions) => {
    const rows = await runExport(resolveTarget(), options);
    if (options.out !== undefined) process.stderr.write(`${rows} rows written to ${options.out}\n`);
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

registerCustomerCommand(program);

program
  .command('dev-token')
  .description(
    'Print a development token for the signed-in API (managers, marketing, admins) of the local stack (12 hours), e.g. ' +
      'curl -H "Authorization: Bearer $(npx closeloop dev-token --email m@x)" $API/m/cases. In AWS, managers sign in with Cognito.',
  )
  .requiredOption('--email <address>', "the user's e-mail address (a manager's as in the stores CSV)")
  .addOption(
    new Option(
      '--role <role>',
      'marketing or admin: see every store (reports, dashboard, exports); default: a manager',
    ).choices(['manager', 'marketing', 'admin']),
  )
  .action(async (options: { email: string; role?: string }) => {
    const target = resolveTarget();
    const secret = target.env.LOCAL_AUTH_SECRET;
    if (target.name !== 'local' || secret === undefined) {
      throw new UsageError(
        'development tokens exist only on the local stack; in AWS, sign in through the Cognito user pool',
      );
    }
    const groups = options.role === undefined || options.role === 'manager' ? [] : [options.role];
    process.stdout.write(`${await issueDevToken(secret, options.email, 12, groups)}\n`);
  });

try {
  await program.parseAsync();
} catch (error) {
  const known = error instanceof UsageError || error instanceof LocalStackNotRunningError;
  if (known) {
    process.stderr.write(`closeloop: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } else if ((error as { code?: string }).code?.startsWith('commander.')) {
    // Help and version exit 0; any other complaint of the parser is a usage error.
    process.exitCode = (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`closeloop: ${(error as Error).message ?? error}\n`);
    process.exitCode = 3;
  }
}
