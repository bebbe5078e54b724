import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createAggregateRepository } from '../functions/adapters/aggregate-repository';
import { createAnswerRepository } from '../functions/adapters/answer-repository';
import { createBenchmarkRepository } from '../functions/adapters/benchmark-repository';
import { createCaseRepository } from '../functions/adapters/case-repository';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createStoreRepository } from '../functions/adapters/store-repository';
import { parseDelimiter, parseEncoding, textEncodings } from '../functions/domain/csv-format';
import { ValidationError } from '../functions/domain/errors';
import { defaultReportRange } from '../functions/domain/report';
import { segmentNames } from '../functions/domain/segments';
import { defaultStackName } from '../functions/resources/stack-outputs';
import {
  aggregatesTable,
  benchmarksTable,
  casesTable,
  customerEmailsTable,
  customersTable,
  storesTable,
  surveysTable,
} from '../functions/resources/tables';
import { caseStatuses } from '../functions/schemas/case';
import { describeIssues } from '../functions/schemas/common';
import { customerCsvColumns } from '../functions/schemas/customer';
import { type Report, ReportQuery } from '../functions/schemas/report';
import { storeCsvColumns } from '../functions/schemas/store';
import { registryTables, tableNamesFrom } from '../functions/shared/config';
import { importCustomers } from '../functions/use-cases/import-customers';
import { importStores } from '../functions/use-cases/import-stores';
import { buildReport } from '../functions/use-cases/report';
import { runTick } from '../functions/use-cases/schedule-surveys';
import { listTestimonials } from '../functions/use-cases/testimonials';
import { scheduleDeps } from '../functions/wiring/tick';
import { LocalStackNotRunningError } from '../local/state';
import packageJson from '../package.json' with { type: 'json' };
import { registerBenchmarksCommand } from './commands/benchmarks';
import { registerChatCommand } from './commands/chat';
import { registerCustomerCommand } from './commands/customer';
import { type ExportCommandOptions, runExportCommand } from './commands/export';
import { exportJobStatus, formatExportJob } from './commands/export-status';
import { formatCases } from './commands/followups';
import { type ImportCommandOptions, runCsvImport } from './commands/import-csv';
import { runImportStatus, runRemoteImport } from './commands/import-remote';
import { registerIntegrationsCommand } from './commands/integrations';
import { formatReport } from './commands/report';
import { registerStaffCommand } from './commands/staff';
import { registerStaffTokenCommand } from './commands/staff-token';
import { runTickCommand } from './commands/tick';
import { registerWebhooksCommand } from './commands/webhooks';
import { UsageError } from './errors';
import { prepareTarget, resolveTarget } from './target';
import { jsonLine, processTerminal, type Terminal } from './terminal';

/** The exit codes the README promises. */
export const exitCodes = { ok: 0, rejectedRows: 1, usage: 2, failure: 3 } as const;

/** The version `closeloop --version` prints: the one in package.json. */
export const version: string = packageJson.version;

/**
 * A complaint of the parser (commander's `error: unknown command 'x'\n(Did you mean y?)`) as one
 * line that points to the help of the command it is about, instead of the whole manual.
 */
export const usageLine = (commandPath: string, message: string, takesArguments = false) => {
  const text = message
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\(Did you mean (.*)\?\)$/s, ' (did you mean $1?)')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
  // An id may start with a dash (a customer id from a CRM): say how to pass it as a value.
  const dashedValue = takesArguments ? /^unknown option '(-[^-'][^']*)'$/.exec(text)?.[1] : undefined;
  const hint = dashedValue
    ? ` (a value that starts with -, put after --: ${commandPath} -- ${dashedValue})`
    : '';
  return `closeloop: ${text}${hint} — see ${commandPath} --help\n`;
};

/** Gives every command the terminal's streams and its own one-line usage errors. */
const configureOutput = (command: Command, path: string, terminal: Terminal) => {
  command.configureOutput({
    writeOut: (text) => terminal.stdout.write(text),
    writeErr: (text) => terminal.stderr.write(text),
    outputError: (text, write) => write(usageLine(path, text, command.registeredArguments.length > 0)),
  });
  for (const sub of command.commands) configureOutput(sub, `${path} ${sub.name()}`, terminal);
};

/**
 * The `closeloop` command line. Results go to `terminal.stdout` (JSON with `--json`), progress and
 * diagnostics to `terminal.stderr`; each command hands its exit code to `exit`.
 */
export const createProgram = (terminal: Terminal, exit: (code: number) => void): Command => {
  const program = new Command('closeloop')
    .description(
      'closeloop: NPS surveys that close the loop.\n' +
        'Works against the local stack started by `npm start`, or against AWS with CLOSELOOP_TARGET=aws ' +
        '(or --stack NAME): the names of tables and queues come from the stack’s outputs.',
    )
    .version(version, '-V, --version', 'print the version')
    .option(
      '--stack <name>',
      `work against AWS, with the table and queue names from this CloudFormation stack's outputs ` +
        `(CLOSELOOP_TARGET=aws reads the stack ${defaultStackName})`,
    )
    .showSuggestionAfterError()
    .exitOverride()
    .hook('preAction', async () => {
      await prepareTarget({ stack: program.opts<{ stack?: string }>().stack });
    });

  const importOptions = (command: Command) =>
    command
      .option(
        '--rejects <file>',
        'where to write rejected rows with their reasons (default: FILE.rejected.csv)',
      )
      .addOption(new Option('--no-progress', 'do not show a progress bar'))
      .option(
        '--encoding <encoding>',
        `the file's text encoding: ${textEncodings.join(', ')} (default: detected)`,
        (label: string) => {
          const encoding = parseEncoding(label);
          if (encoding === undefined) throw new InvalidArgumentError(`expected ${textEncodings.join(', ')}`);
          return encoding;
        },
      )
      .option(
        '--delimiter <delimiter>',
        "the column delimiter: ',' ';' or tab (default: the one that splits the header into the columns)",
        (text: string) => {
          const delimiter = parseDelimiter(text);
          if (delimiter === undefined) throw new InvalidArgumentError("expected ',', ';' or tab");
          return delimiter;
        },
      )
      .option(
        '--json',
        'print the summary as JSON: file, encoding, delimiter, read, created, updated, unchanged, ' +
          'rejected, rejectsFile, seconds',
      );

  const registry = () => {
    const target = resolveTarget();
    const db = target.documentClient();
    const tables = registryTables(target.env);
    return {
      customers: createCustomerRepository(db, tables),
      stores: createStoreRepository(db, tables.stores),
    };
  };

  type ImportFlags = ImportCommandOptions;

  importOptions(
    program
      .command('import-customers')
      .argument('<file>', 'customers CSV: customerId,email,firstName,lastName,storeId,locale[,attribute...]')
      .description(
        'Import or update customers from a CSV file. Extra columns are kept as attributes. Bad rows are ' +
          'reported with their line numbers and skipped; good rows are imported. Safe to run again.',
      )
      .option(
        '--remote',
        "upload the file to the bucket's imports/ prefix and follow the bulk import that the cloud's " +
          'workers run in parallel (rejected rows go to FILE.rejects.csv next to it in the bucket)',
      ),
  ).action(async (file: string, options: ImportFlags & { remote?: boolean }) => {
    if (options.remote) {
      exit(await runRemoteImport(resolveTarget(), file, options, terminal));
      return;
    }
    const deps = registry();
    exit(
      await runCsvImport(
        file,
        options,
        customerCsvColumns,
        (records, hooks) => importCustomers(records, deps, hooks),
        terminal,
      ),
    );
  });

  importOptions(
    program
      .command('import-stores')
      .argument('<file>', 'stores CSV: storeId,name,managerEmail,regionalManagerEmail,timezone')
      .description('Import or update stores from a CSV file. Safe to run again.'),
  ).action(async (file: string, options: ImportFlags) => {
    const { stores } = registry();
    exit(
      await runCsvImport(
        file,
        options,
        storeCsvColumns,
        (records, hooks) => importStores(records, { stores }, hooks),
        terminal,
      ),
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
    .option(
      '--json',
      'print what was queued as JSON: now, invitations, reminders, recounts, escalations, digests',
    )
    .action(async (options: { now: string; json?: boolean }) => {
      await runTickCommand(
        options,
        (now) => {
          const target = resolveTarget();
          return runTick(scheduleDeps(target.documentClient(), target.sqsClient(), target.env), now);
        },
        terminal,
      );
    });

  program
    .command('followups')
    .description('List detractor follow-up cases, soonest due first; overdue cases are flagged.')
    .option('--store <storeId>', 'only this store')
    .addOption(new Option('--status <status>', 'only cases with this status').choices([...caseStatuses]))
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
      terminal.stdout.write(
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
      const tables = tableNamesFrom(
        { aggregates: aggregatesTable, stores: storesTable, benchmarks: benchmarksTable },
        target.env,
      );
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
            benchmarks: createBenchmarkRepository(db, tables.benchmarks),
            ...(target.env.TESTIMONIAL_TARGET && {
              testimonialTarget: Number(target.env.TESTIMONIAL_TARGET),
            }),
          },
          { kind: 'all-stores', user: 'cli', sub: 'cli', role: 'admin' },
          query.data,
        );
      } catch (error) {
        if (error instanceof ValidationError) throw new UsageError(error.message);
        throw error;
      }
      terminal.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
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
        'promoters (9-10), passives (7-8), detractors (0-6) or testimonials (quotes promoters agreed to have published)',
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
    .option('--json', 'with --out, print what was written as JSON: segment, format, out, rows')
    .action(async (options: ExportCommandOptions) => {
      await runExportCommand(resolveTarget, options, terminal);
    });

  program
    .command('imports')
    .description(
      'Bulk imports run in the cloud (started with import-customers --remote or a file dropped in imports/).',
    )
    .command('status')
    .description(
      'Show a bulk import job: chunks done, rows imported and rejected, where the rejects file is.',
    )
    .argument('<jobId>', 'the job id import-customers --remote printed')
    .option('--follow', 'follow the job with a progress bar until it is done')
    .option('--json', 'the job as one JSON object')
    .action(async (jobId: string, options: { json?: boolean; follow?: boolean }) => {
      exit(await runImportStatus(resolveTarget(), jobId, options, terminal));
    });

  program
    .command('export-status')
    .description(
      'Show an export job started through the API (POST /r/exports): queued, running, ready (rows, file) ' +
        'or failed, with why. A job stalled past the worker’s retries shows as failed. Exits 3 if failed.',
    )
    .argument('<jobId>', 'the job id the API returned')
    .option('--json', 'the job as one JSON object')
    .action(async (jobId: string, options: { json?: boolean }) => {
      const job = await exportJobStatus(resolveTarget(), jobId);
      terminal.stdout.write(options.json ? jsonLine(job) : formatExportJob(job));
      if (job.status === 'failed') exit(exitCodes.failure);
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
        terminal.stdout.write(candidates.map((candidate) => `${JSON.stringify(candidate)}\n`).join(''));
        return;
      }
      terminal.stdout.write(
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

  registerCustomerCommand(program, terminal, exit);
  const staff = registerStaffCommand(program, terminal, exit);
  registerChatCommand(program, terminal);
  registerBenchmarksCommand(program, terminal);
  registerIntegrationsCommand(program, terminal);
  registerStaffTokenCommand(staff, terminal, exit);
  registerWebhooksCommand(program, terminal);

  configureOutput(program, 'closeloop', terminal);
  return program;
};

/**
 * Runs `closeloop` with `argv` (as in `process.argv`) and returns the exit code: 0 ok, 1 some rows
 * rejected (or as the command says), 2 a usage error (unknown command or option, bad input, no local
 * stack), 3 anything else. Help and version exit 0.
 */
export const runCli = async (
  argv: readonly string[],
  terminal: Terminal = processTerminal(),
): Promise<number> => {
  let exitCode: number = exitCodes.ok;
  const program = createProgram(terminal, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError || error instanceof LocalStackNotRunningError) {
      terminal.stderr.write(`closeloop: ${error.message}\n`);
      return exitCodes.usage;
    }
    if (error instanceof CommanderError) {
      // Help and version exit 0; the parser has said what is wrong in one line: a usage error.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    terminal.stderr.write(`closeloop: ${(error as Error).message ?? error}\n`);
    return exitCodes.failure;
  }
};
