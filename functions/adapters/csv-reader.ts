import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { parse as parseLine } from 'csv-parse/sync';
import {
  byteOrderMarkLength,
  type CsvDelimiter,
  chooseDelimiter,
  csvDelimiters,
  encodingOfByteOrderMark,
  firstNonAsciiByte,
  invalidTextReason,
  type TextEncoding,
  utf8OrWindows1252,
} from '../domain/csv-format';
import type { CsvRecord } from '../use-cases/csv-import';

export interface CsvFormat {
  readonly encoding: TextEncoding;
  readonly delimiter: CsvDelimiter;
}

export interface CsvReadOptions {
  /** Columns the header must have: the delimiter that splits the header into them is the one used. */
  readonly requiredColumns: readonly string[];
  /** Read the file in this encoding instead of detecting it. */
  readonly encoding?: TextEncoding;
  /** Split lines with this delimiter instead of detecting it. */
  readonly delimiter?: CsvDelimiter;
}

export interface CsvSource {
  readonly records: AsyncIterable<CsvRecord>;
  /**
   * The encoding and delimiter in use. The delimiter is known once the header is read; the
   * encoding of a file whose bytes are all ASCII so far is UTF-8 until a later byte decides it.
   */
  readonly format: () => CsvFormat;
}

/** Bytes read past the first non-ASCII byte before judging UTF-8 against Windows-1252. */
const encodingLookahead = 64 * 1024;
/** Text read ahead for the header line. */
const headerLookahead = 64 * 1024;

/**
 * Streams the records of a CSV file saved by a spreadsheet from its bytes, in bounded memory: detects
 * the encoding (a byte-order mark for UTF-8 and UTF-16; else UTF-8 or Windows-1252 from the bytes
 * after the first non-ASCII one, since ASCII reads the same in both) and the delimiter (the one that
 * splits the header into the required columns). A row holding bytes that are not text in the
 * encoding comes with `invalidText`, the reason to reject it: nothing is quietly replaced.
 */
export const readCsv = (bytes: AsyncIterable<Uint8Array>, options: CsvReadOptions): CsvSource => {
  let encoding: TextEncoding = options.encoding ?? 'utf-8';
  let delimiter: CsvDelimiter = options.delimiter ?? ',';

  async function* records(): AsyncGenerator<CsvRecord> {
    const text = decodeText(bytes, options.encoding, (detected) => {
      encoding = detected;
    })[Symbol.asyncIterator]();
    let head = '';
    while (!/[\r\n]/.test(head) && head.length < headerLookahead) {
      const next = await text.next();
      if (next.done) break;
      head += next.value;
    }
    delimiter = options.delimiter ?? detectDelimiter(head, options.requiredColumns);

    async function* headThenRest() {
      yield head;
      yield* { [Symbol.asyncIterator]: () => text };
    }
    const parser = parse({ delimiter, info: true, relax_column_count: true, skip_empty_lines: true });
    // A failure anywhere destroys the parser, so the loop below throws it; nothing is left unhandled.
    pipeline(Readable.from(headThenRest()), parser).catch(() => undefined);
    let header: readonly string[] | undefined;
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const invalidText = invalidTextReason(record, encoding, header);
      header ??= record;
      yield invalidText === undefined
        ? { line: info.lines, values: record }
        : { line: info.lines, values: record, invalidText };
    }
  }

  return { records: records(), format: () => ({ encoding, delimiter }) };
};

const detectDelimiter = (head: string, requiredColumns: readonly string[]): CsvDelimiter => {
  const line = head.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const splits = new Map(csvDelimiters.map((delimiter) => [delimiter, splitLine(line, delimiter)]));
  return chooseDelimiter(splits, requiredColumns);
};

const splitLine = (line: string, delimiter: CsvDelimiter): string[] => {
  try {
    const [fields] = parseLine(line, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][];
    return fields ?? [];
  } catch {
    return []; // a quote left open: not this delimiter's header
  }
};

const ascii = new TextDecoder('utf-8');

/**
 * Decodes a byte stream as text with a streaming decoder (a character split between two chunks is
 * decoded whole), in `forced` or in the encoding detected, reported through `onEncoding`. Bytes that
 * are not text become U+FFFD, which `invalidTextReason` then finds.
 */
async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  forced: TextEncoding | undefined,
  onEncoding: (encoding: TextEncoding) => void,
): AsyncGenerator<string> {
  let decoder = forced === undefined ? undefined : new TextDecoder(forced);
  /** Bytes held while the encoding is undecided: the first few (a byte-order mark?), then those from the first non-ASCII byte on. */
  let held: Uint8Array = new Uint8Array(0);
  let markChecked = false;
  const decide = (detected: TextEncoding) => {
    onEncoding(detected);
    decoder = new TextDecoder(detected);
    return decoder;
  };

  for await (const chunk of chunks) {
    if (decoder !== undefined) {
      yield decoder.decode(chunk, { stream: true });
      continue;
    }
    held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
    if (!markChecked) {
      if (held.length < byteOrderMarkLength) continue;
      markChecked = true;
      const marked = encodingOfByteOrderMark(held);
      if (marked !== undefined) {
        yield decide(marked).decode(held, { stream: true });
        continue;
      }
    }
    const nonAscii = firstNonAsciiByte(held);
    if (nonAscii === -1) {
      yield ascii.decode(held);
      held = new Uint8Array(0);
      continue;
    }
    if (nonAscii > 0) {
      yield ascii.decode(held.subarray(0, nonAscii));
      held = held.subarray(nonAscii);
    }
    if (held.length >= encodingLookahead) {
      yield decide(utf8OrWindows1252(held, false)).decode(held, { stream: true });
    }
  }

  if (decoder === undefined) {
    const marked = markChecked ? undefined : encodingOfByteOrderMark(held);
    decoder = decide(marked ?? (firstNonAsciiByte(held) === -1 ? 'utf-8' : utf8OrWindows1252(held, true)));
    yield decoder.decode(held, { stream: true });
  }
  yield decoder.decode();
}
