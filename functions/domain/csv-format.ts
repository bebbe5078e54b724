/**
 * How the bytes of a CSV file saved by a spreadsheet become text and columns: the rules that detect
 * its encoding and delimiter, and that tell invalid text from text. Pure.
 */

export const textEncodings = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type TextEncoding = (typeof textEncodings)[number];

export const encodingNames: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
};

/**
 * What `--encoding` accepts: any WHATWG label of a supported encoding (`utf8`, `latin1`,
 * `iso-8859-1` and `cp1252` are Windows-1252 there, `utf-16` is UTF-16 LE).
 */
export const parseEncoding = (label: string): TextEncoding | undefined => {
  try {
    const { encoding } = new TextDecoder(label);
    return textEncodings.find((supported) => supported === encoding);
  } catch {
    return undefined; // not an encoding label at all
  }
};

export const csvDelimiters = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof csvDelimiters)[number];

const delimiterNames: Record<CsvDelimiter, { plural: string; option: string }> = {
  ',': { plural: 'commas', option: "','" },
  ';': { plural: 'semicolons', option: "';'" },
  '\t': { plural: 'tabs', option: 'tab' },
};

/** What `--delimiter` accepts: the character itself, or `tab` / `\t` for a tab. */
export const parseDelimiter = (text: string): CsvDelimiter | undefined => {
  if (text === 'tab' || text === '\\t') return '\t';
  return csvDelimiters.find((delimiter) => delimiter === text);
};

/** A delimiter as a user would name it: `','`, `';'` or `tab`. */
export const delimiterName = (delimiter: CsvDelimiter): string => delimiterNames[delimiter].option;

/** The byte-order marks spreadsheets write: UTF-8 (Excel's "CSV UTF-8") and UTF-16 ("Unicode text"). */
const byteOrderMarks: ReadonlyArray<readonly [TextEncoding, readonly number[]]> = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The longest byte-order mark: fewer leading bytes than this cannot rule one out (but a whole file can). */
export const byteOrderMarkLength = 3;

/** The encoding named by a byte-order mark at the start of `bytes`, if there is one. */
export const encodingOfByteOrderMark = (bytes: Uint8Array): TextEncoding | undefined =>
  byteOrderMarks.find(([, mark]) => mark.every((byte, position) => bytes[position] === byte))?.[0];

/** Where the first byte outside ASCII is, or -1: up to there UTF-8 and Windows-1252 read the same. */
export const firstNonAsciiByte = (bytes: Uint8Array): number => bytes.findIndex((byte) => byte >= 0x80);

/**
 * UTF-8 or Windows-1252, judged from bytes that start at a file's first non-ASCII byte. In UTF-8,
 * every letter outside ASCII is a valid multi-byte sequence; in Windows-1252 it is a lone byte
 * (`é` is E9), which UTF-8 forbids, and valid sequences are all but absent. So the bytes are UTF-8
 * unless their invalid sequences outnumber their valid ones: a UTF-8 file with a few bad bytes stays
 * UTF-8 and only its bad rows are rejected, rather than every accent of the file being misread.
 * `complete`: the bytes run to the end of the file, so a sequence cut at their end counts as invalid.
 */
export const utf8OrWindows1252 = (bytes: Uint8Array, complete: boolean): 'utf-8' | 'windows-1252' => {
  const text = new TextDecoder('utf-8').decode(bytes, { stream: !complete });
  let valid = 0;
  let invalid = 0;
  for (const character of text) {
    if (character === '\uFFFD') invalid++;
    else if (character > '\u007f') valid++;
  }
  return valid >= invalid ? 'utf-8' : 'windows-1252';
};

/**
 * The delimiter that splits a header line into the required columns: the one that finds the most of
 * them, then the most columns (a header that matches none is then still split where it looks split);
 * commas win a tie. `splits` holds the header as each delimiter splits it.
 */
export const chooseDelimiter = (
  splits: ReadonlyMap<CsvDelimiter, readonly string[]>,
  required: readonly string[],
): CsvDelimiter => {
  const score = (delimiter: CsvDelimiter) => {
    const names = new Set((splits.get(delimiter) ?? []).map((name) => name.trim()));
    return [required.filter((column) => names.has(column)).length, names.size] as const;
  };
  let best: CsvDelimiter = ',';
  for (const delimiter of csvDelimiters) {
    const [found, columns] = score(delimiter);
    const [bestFound, bestColumns] = score(best);
    if (found > bestFound || (found === bestFound && columns > bestColumns)) best = delimiter;
  }
  return best;
};

/**
 * Characters that only come from bytes that are not text in the file's encoding: the replacement
 * character a decoder puts for an invalid sequence, and the C1 controls (Windows-1252's five unused
 * bytes decode to them; in UTF-8 they mark text that was already garbled by a wrong conversion).
 */
const notText = /[\uFFFD\u0080-\u009F]/;

const invalidTextReasons: Record<TextEncoding, string> = {
  'utf-8': 'bytes that are not valid UTF-8 (if the file is not UTF-8, say which encoding with --encoding)',
  'utf-16le': 'bytes that are not valid UTF-16 (an unpaired surrogate)',
  'utf-16be': 'bytes that are not valid UTF-16 (an unpaired surrogate)',
  'windows-1252': 'bytes that are not text in Windows-1252 (0x81, 0x8D, 0x8F, 0x90 or 0x9D)',
};

/**
 * Why a row read in `encoding` cannot be imported as text, naming the first column at fault (by its
 * header name when known, else by position); undefined when every value is text.
 */
export const invalidTextReason = (
  values: readonly string[],
  encoding: TextEncoding,
  columnNames: readonly string[] = [],
): string | undefined => {
  const position = values.findIndex((value) => notText.test(value));
  if (position === -1) return undefined;
  const column = columnNames[position]?.trim() || `column ${position + 1}`;
  return `${column}: ${invalidTextReasons[encoding]}`;
};

const longestPreview = 60;

/**
 * What a header that lacks columns looked like, and the likely cause when it shows one: a delimiter
 * other than the one it was split with, or UTF-16 read as something else (a NUL beside each letter).
 */
export const describeFoundHeader = (names: readonly string[]): string[] => {
  const joined = names.join(names.length > 1 ? ', ' : '');
  const preview = joined.length > longestPreview ? `${joined.slice(0, longestPreview)}…` : joined;
  const found = `found ${names.length} column${names.length === 1 ? '' : 's'}: \`${preview.replaceAll('\u0000', '')}\``;
  if (names.some((name) => name.includes('\u0000'))) {
    return [`${found}: is the file UTF-16 without a byte-order mark? use --encoding utf-16le (or utf-16be)`];
  }
  const other = csvDelimiters.find((delimiter) => names.some((name) => name.includes(delimiter)));
  if (other === undefined) return [found];
  const { plural, option } = delimiterNames[other];
  return [`${found}: is the file separated by ${plural}? use --delimiter ${option}`];
};
