import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import type { CsvRecord } from '../functions/use-cases/csv-import';

/**
 * Streams a CSV file as records with their line numbers, never holding the file in memory.
 * `onBytes` reports how far into the file the parser has read (for progress bars).
 */
export async function* readCsvFile(
  path: string,
  onBytes?: (bytesRead: number) => void,
): AsyncGenerator<CsvRecord> {
  let bytesRead = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytesRead += chunk.length;
      onBytes?.(bytesRead);
      callback(null, chunk);
    },
  });
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  // A failure anywhere destroys the parser, so the loop below throws it; nothing is left unhandled.
  pipeline(createReadStream(path), counter, parser).catch(() => undefined);
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    yield { line: info.lines, values: record };
  }
}

/** Turns in-memory rows (header first) into numbered records, as if read from a file. */
export async function* recordsOf(rows: Iterable<string[]>): AsyncGenerator<CsvRecord> {
  let line = 0;
  for (const values of rows) yield { line: ++line, values };
}

/** Writes rows to a CSV file as a stream (so generating a million rows needs little memory). */
export const writeCsvFile = (path: string, rows: Iterable<string[]>): Promise<void> =>
  pipeline(Readable.from(rows), stringify(), createWriteStream(path));
