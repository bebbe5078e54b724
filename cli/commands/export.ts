import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { createConsentedQuotes } from '../../functions/adapters/consented-quotes';
import { createCustomerRepository } from '../../functions/adapters/customer-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import type { SegmentName } from '../../functions/domain/segments';
import { surveysTable } from '../../functions/resources/tables';
import { isoDate } from '../../functions/schemas/common';
import { registryTables, tableNamesFrom } from '../../functions/shared/config';
import {
  type ExportFormat,
  type ExportProgress,
  responseRows,
  segmentRows,
  writeSegmentFile,
} from '../../functions/use-cases/export-segment';
import { UsageError } from '../errors';
import type { Target } from '../target';
import { jsonLine, type Terminal } from '../terminal';

export interface ExportCommandOptions {
  readonly segment: SegmentName;
  readonly store?: string[];
  readonly locale?: string[];
  readonly attribute?: string[];
  readonly from?: string;
  readonly to?: string;
  readonly format: ExportFormat;
  readonly out?: string;
  readonly bom?: boolean;
  readonly attributeColumns?: string;
  readonly everyResponse?: boolean;
  readonly progress: boolean;
  /** With `out`: print what was written as JSON on stdout instead of a sentence on stderr. */
  readonly json?: boolean;
}

const day = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  if (!isoDate().safeParse(value).success) {
    throw new UsageError(`--${name} must be a date such as 2026-11-23, got "${value}"`);
  }
  return value;
};

/** Opens the output before anything is read, so that a bad path is a usage error, not a half export. */
const openOutput = (path: string): Writable => {
  try {
    return createWriteStream('', { fd: openSync(path, 'w') });
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
};

/** `tier=gold` → `{ tier: 'gold' }`; anything else is a usage error. */
const attributeFilters = (pairs: readonly string[] = []) =>
  Object.fromEntries(
    pairs.map((pair) => {
      const match = /^([^=]+)=(.*)$/.exec(pair);
      if (!match?.[1]) throw new UsageError(`--attribute must look like name=value, got "${pair}"`);
      return [match[1].trim(), match[2] ?? ''];
    }),
  );

/**
 * Streams a segment to a file or stdout, with a progress bar (index partitions read, rows written) on
 * a terminal. Returns the rows written.
 */
export const runExport = async (target: Target, options: ExportCommandOptions): Promise<number> => {
  const from = day('from', options.from);
  const to = day('to', options.to);
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  const attributes = attributeFilters(options.attribute);
  const sink: Writable = options.out === undefined ? process.stdout : openOutput(options.out);
  const db = target.documentClient();
  const customers = createCustomerRepository(db, registryTables(target.env));
  const showBar = options.progress && options.out !== undefined && process.stderr.isTTY === true;
  const bar = new SingleBar({
    stream: process.stderr,
    format: '{bar} {value}/{total} parts read | {rows} rows',
    barsize: 30,
    hideCursor: true,
    fps: 5,
  });
  if (showBar) bar.start(options.everyResponse ? 1 : 16, 0, { rows: 0 });
  try {
    const query = {
      segment: options.segment,
      ...(options.store?.length && { storeIds: new Set(options.store) }),
      ...(options.locale?.length && { locales: new Set(options.locale) }),
      attributes,
      ...(from && { from }),
      ...(to && { to }),
    };
    const onProgress = (progress: ExportProgress) => {
      if (showBar) bar.update(progress.partitionsDone, { rows: progress.rows });
    };
    const surveysTableName = tableNamesFrom({ surveys: surveysTable }, target.env).surveys;
    const testimonials = {
      customers,
      consents: createConsentedQuotes(db, surveysTableName),
    };
    const rows = options.everyResponse
      ? responseRows(
          { customers, surveys: createSurveyRepository(db, surveysTableName), testimonials },
          query,
          onProgress,
        )
      : segmentRows({ customers, testimonials }, query, onProgress);
    const written = await writeSegmentFile(rows, sink, {
      segment: options.segment,
      format: options.format,
      bom: options.bom ?? false,
      attributeColumns: (options.attributeColumns ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    });
    return written;
  } finally {
    if (showBar) bar.stop();
  }
};

/**
 * `closeloop export`: the rows to `--out` or stdout; with `--out`, then says how many rows were written
 * (on stderr, or with `--json` as `{"segment", "format", "out", "rows"}` on stdout).
 */
export const runExportCommand = async (
  target: () => Target,
  options: ExportCommandOptions,
  terminal: Terminal,
): Promise<void> => {
  if (options.json === true && options.out === undefined) {
    throw new UsageError(
      '--json describes the file written with --out; without --out the rows themselves go to stdout ' +
        '(--format jsonl writes them as JSON Lines)',
    );
  }
  const rows = await runExport(target(), options);
  if (options.out === undefined) return;
  if (options.json === true) {
    terminal.stdout.write(
      jsonLine({ segment: options.segment, format: options.format, out: options.out, rows }),
    );
  } else {
    terminal.stderr.write(`${rows} rows written to ${options.out}\n`);
  }
};
