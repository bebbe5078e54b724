import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { type CsvReadOptions, type CsvSource, readCsv } from '../functions/adapters/csv-reader';
import type { CsvRecord } from '../functions/use-cases/csv-import';

/**
 * Streams a CSV file as records with their line numbers, never holding the file in memory, in the
 * encoding and with the delimiter given or detected (see `readCsv`). `onBytes` reports how far into
 * the file the reader is (for progress bars).
 */
export const readCsvFile = (
  path: string,
  options: CsvReadOptions,
  onBytes?: (bytesRead: number) => void,
): CsvSource => {
  async function* bytes() {
    let bytesRead = 0;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      onBytes?.(bytesRead);
      yield chunk;
    }
  }
  return readCsv(bytes(), options);
};

/** Turns in-memory rows (header first) into numbered records, as if read from a file. */
export async function* recordsOf(rows: Iterable<string[]>): AsyncGenerator<CsvRecord> {
  let line = 0;
  for (const values of rows) yield { line: ++line, values };
}

/** Writes rows to a CSV file as a stream (so generating a million rows needs little memory). */
export const writeCsvFile = (path: string, rows: Iterable<string[]>): Promise<void> =>
  pipeline(Readable.from(rows), stringify(), createWriteStream(path));
