import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import { stringify } from 'csv-stringify';
import type { CsvFormat } from '../../functions/adapters/csv-reader';
import {
  type CsvDelimiter,
  delimiterName,
  encodingNames,
  type TextEncoding,
} from '../../functions/domain/csv-format';
import { ValidationError } from '../../functions/domain/errors';
import type {
  CsvRecord,
  ImportOptions,
  ImportSummary,
  RejectedRow,
} from '../../functions/use-cases/csv-import';
import { readCsvFile } from '../csv-files';
import { UsageError } from '../errors';
import { jsonLine, processTerminal, type Terminal } from '../terminal';

/** Rejected rows printed on the terminal; the rest go only to the rejects file. */
const printedRejectsLimit = 20;

export interface ImportCommandOptions {
  readonly rejects?: string;
  readonly progress: boolean;
  /** Print the summary as one JSON object on stdout instead of sentences. */
  readonly json?: boolean;
  /** Read the file in this encoding instead of detecting it. */
  readonly encoding?: TextEncoding;
  /** Split lines with this delimiter instead of detecting it. */
  readonly delimiter?: CsvDelimiter;
}

/**
 * What `--json` prints: the encoding and delimiter used, the counts, where the rejected rows went
 * (null: none), and the time taken.
 */
export interface ImportResult extends ImportSummary, CsvFormat {
  readonly file: string;
  readonly rejectsFile: string | null;
  readonly seconds: number;
}

/** "Windows-1252, delimiter ';'" */
const describeFormat = ({ encoding, delimiter }: CsvFormat) =>
  `${encodingNames[encoding]}, delimiter ${delimiterName(delimiter)}`;

/**
 * Runs an import use case over a CSV file (whose header must hold `requiredColumns`) with a progress
 * bar, prints the encoding and delimiter used and bad rows with their line numbers, writes all of
 * them to a rejects CSV, and returns the process exit code: 0 when every row was imported, 1 when
 * some rows were rejected.
 */
export const runCsvImport = async (
  file: string,
  options: ImportCommandOptions,
  requiredColumns: readonly string[],
  run: (records: AsyncIterable<CsvRecord>, options: ImportOptions) => Promise<ImportSummary>,
  terminal: Terminal = processTerminal(),
): Promise<number> => {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`file not found: ${file}`);
  const totalBytes = statSync(file).size;
  const rejectsPath = options.rejects ?? `${file}.rejected.csv`;
  const showBar = options.progress && process.stderr.isTTY === true;
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      '{bar} {percentage}% | {rows} rows | {created} new, {updated} updated, {unchanged} unchanged, {rejected} rejected | {speed} rows/s | ETA {eta_formatted}',
    barsize: 30,
    hideCursor: true,
    etaBuffer: 50,
    fps: 5,
  });
  const started = Date.now();
  let bytes = 0;
  let report: ReturnType<typeof stringify> | undefined;
  let reportFile: WriteStream | undefined;
  let printed = 0;
  const onReject = (row: RejectedRow) => {
    if (report === undefined) {
      report = stringify({ header: true, columns: ['line', 'key', 'reason'] });
      reportFile = createWriteStream(rejectsPath);
      report.pipe(reportFile);
    }
    report.write([row.line, row.key ?? '', row.reason]);
    if (printed++ < printedRejectsLimit) {
      const line = `line ${row.line}${row.key ? ` (${row.key})` : ''}: ${row.reason}`;
      // On a terminal, clear the bar's line first; the bar redraws itself below.
      terminal.stderr.write(showBar ? `\r\x1b[K${line}\n` : `${line}\n`);
    }
  };
  const onProgress = (summary: Readonly<ImportSummary>) => {
    if (!showBar) return;
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    bar.update(bytes, { ...summary, rows: summary.read, speed: Math.round(summary.read / seconds) });
  };
  if (showBar)
    bar.start(totalBytes, 0, { rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, speed: 0 });

  const source = readCsvFile(
    file,
    { requiredColumns, encoding: options.encoding, delimiter: options.delimiter },
    (read) => {
      bytes = read;
    },
  );
  let summary: ImportSummary;
  try {
    summary = await run(source.records, { onReject, onProgress });
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new UsageError(
        `${file} (read as ${describeFormat(source.format())}): ${error.message}\n  ` +
          `${error.issues.join('\n  ')}\nNothing was imported.`,
      );
    }
    throw error;
  } finally {
    if (showBar) {
      bar.update(totalBytes);
      bar.stop();
    }
    if (report !== undefined && reportFile !== undefined) {
      // Done when the file is written, not only when the CSV is formatted: the summary names the file.
      const written = reportFile;
      report.end();
      await finished(written);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const hidden = summary.rejected - Math.min(summary.rejected, printedRejectsLimit);
  if (hidden > 0) terminal.stderr.write(`… and ${hidden} more rejected rows.\n`);
  if (options.json === true) {
    const result: ImportResult = {
      file,
      ...source.format(),
      read: summary.read,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
      rejectsFile: summary.rejected > 0 ? rejectsPath : null,
      seconds: Math.round(seconds * 10) / 10,
    };
    terminal.stdout.write(jsonLine(result));
    return summary.rejected > 0 ? 1 : 0;
  }
  terminal.stdout.write(`${file}: read as ${describeFormat(source.format())}.\n`);
  terminal.stdout.write(
    `${file}: ${summary.read} rows read in ${seconds.toFixed(1)} s: ${summary.created} created, ` +
      `${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected.\n`,
  );
  if (summary.rejected > 0) {
    terminal.stdout.write(
      `Rejected rows with their reasons: ${rejectsPath} (fix them and import the file again).\n`,
    );
    return 1;
  }
  return 0;
};
