import { describe, expect, it } from 'vitest';
import {
  type CsvDelimiter,
  chooseDelimiter,
  describeFoundHeader,
  encodingOfByteOrderMark,
  invalidTextReason,
  parseDelimiter,
  parseEncoding,
  utf8OrWindows1252,
} from '../../../functions/domain/csv-format';
import { storeCsvColumns } from '../../../functions/schemas/store';
import { utf8, utf16, windows1252 } from '../../support/text-encodings';

describe('encodingOfByteOrderMark', () => {
  it('names UTF-8 and UTF-16 from their marks, and nothing without one', () => {
    expect(encodingOfByteOrderMark(utf8('id', { bom: true }))).toBe('utf-8');
    expect(encodingOfByteOrderMark(utf16('id', 'le'))).toBe('utf-16le');
    expect(encodingOfByteOrderMark(utf16('id', 'be'))).toBe('utf-16be');
    expect(encodingOfByteOrderMark(utf8('id'))).toBeUndefined();
    expect(encodingOfByteOrderMark(new Uint8Array([0xef, 0xbb]))).toBeUndefined();
  });
});

describe('utf8OrWindows1252', () => {
  it('reads valid multi-byte sequences as UTF-8', () => {
    expect(utf8OrWindows1252(utf8('é,Zoë,Œuvre,€'), true)).toBe('utf-8');
  });

  it('reads lone high bytes as Windows-1252', () => {
    expect(utf8OrWindows1252(windows1252('é,Zoë,Œuvre,€'), true)).toBe('windows-1252');
  });

  it('keeps a UTF-8 file with one bad byte as UTF-8, so only that row is lost', () => {
    const bytes = Buffer.concat([utf8('Jérôme,Zoë\n'), Buffer.from([0xe9, 0x0a]), utf8('Ñúñez\n')]);
    expect(utf8OrWindows1252(bytes, true)).toBe('utf-8');
  });

  it('does not count a character cut at the end of an incomplete window as invalid', () => {
    const cut = utf8('é,ë,€').subarray(0, -1); // the last byte of € is in the next chunk
    expect(utf8OrWindows1252(cut, false)).toBe('utf-8');
  });
});

describe('chooseDelimiter', () => {
  const splits = (line: string, fields: (delimiter: CsvDelimiter) => string[] = (d) => line.split(d)) =>
    new Map((<const>[',', ';', '\t']).map((delimiter) => [delimiter, fields(delimiter)]));

  it('picks the delimiter that yields the required columns', () => {
    expect(chooseDelimiter(splits(storeCsvColumns.join(';')), storeCsvColumns)).toBe(';');
    expect(chooseDelimiter(splits(storeCsvColumns.join('\t')), storeCsvColumns)).toBe('\t');
    expect(chooseDelimiter(splits(storeCsvColumns.join(',')), storeCsvColumns)).toBe(',');
  });

  it('is not fooled by another delimiter inside a column name', () => {
    // storeId;name;…;"opening hours, weekdays": commas split it into two fields, neither a column.
    const header = [...storeCsvColumns, 'opening hours, weekdays'];
    const parsed = (delimiter: CsvDelimiter) =>
      delimiter === ';' ? header : header.join(';').split(delimiter);
    expect(chooseDelimiter(splits('', parsed), storeCsvColumns)).toBe(';');
    const commaHeader = [...storeCsvColumns, 'notes; internal'];
    const commaParsed = (delimiter: CsvDelimiter) =>
      delimiter === ',' ? commaHeader : commaHeader.join(',').split(delimiter);
    expect(chooseDelimiter(splits('', commaParsed), storeCsvColumns)).toBe(',');
  });

  it('on a header that matches none, picks the one that finds the most columns, then the most fields', () => {
    const misspelt = 'storeID;name;managerEmail;regionalManagerEmail;tz';
    expect(chooseDelimiter(splits(misspelt), storeCsvColumns)).toBe(';');
    expect(chooseDelimiter(splits('a;b;c'), storeCsvColumns)).toBe(';');
    expect(chooseDelimiter(splits('nothing here'), storeCsvColumns)).toBe(',');
  });
});

describe('invalidTextReason', () => {
  it('names the column holding a replacement character or a C1 control', () => {
    const header = ['customerId', 'firstName'];
    expect(invalidTextReason(['C1', 'J\uFFFDr\uFFFDme'], 'utf-8', header)).toBe(
      'firstName: bytes that are not valid UTF-8 (if the file is not UTF-8, say which encoding with --encoding)',
    );
    expect(invalidTextReason(['C1', 'a\u0081b'], 'windows-1252', header)).toMatch(
      /^firstName: bytes that are not text in Windows-1252/,
    );
    expect(invalidTextReason(['\uFFFD'], 'utf-16le')).toMatch(/^column 1: bytes that are not valid UTF-16/);
  });

  it('accepts text, accents and symbols included', () => {
    expect(invalidTextReason(['Jérôme', 'Zoë', 'Ñúñez', 'Œuvre', '€', '😀'], 'utf-8')).toBeUndefined();
  });
});

describe('describeFoundHeader', () => {
  it('shows a header read whole and asks whether it is separated by semicolons', () => {
    expect(describeFoundHeader(['storeId;name;managerEmail;regionalManagerEmail;timezone'])).toEqual([
      "found 1 column: `storeId;name;managerEmail;regionalManagerEmail;timezone`: is the file separated by semicolons? use --delimiter ';'",
    ]);
  });

  it('suggests tabs and commas the same way, and cuts a long header short', () => {
    expect(describeFoundHeader([`${'x'.repeat(70)}\ty`])[0]).toMatch(
      /^found 1 column: `x{60}…`: is the file separated by tabs\? use --delimiter tab$/,
    );
    expect(describeFoundHeader(['storeId,name', 'timezone'])[0]).toContain(
      "found 2 columns: `storeId,name, timezone`: is the file separated by commas? use --delimiter ','",
    );
  });

  it('recognises UTF-16 read as a single-byte encoding by the NUL beside each letter', () => {
    expect(describeFoundHeader(['s\u0000t\u0000o\u0000r\u0000e\u0000'])).toEqual([
      'found 1 column: `store`: is the file UTF-16 without a byte-order mark? use --encoding utf-16le (or utf-16be)',
    ]);
  });

  it('only lists what it found when nothing points to a cause', () => {
    expect(describeFoundHeader(['storeID', 'name'])).toEqual(['found 2 columns: `storeID, name`']);
  });
});

describe('parseDelimiter', () => {
  it('takes the character, or tab by name', () => {
    expect([',', ';', 'tab', '\\t', '\t', '|'].map(parseDelimiter)).toEqual([
      ',',
      ';',
      '\t',
      '\t',
      '\t',
      undefined,
    ]);
  });
});

describe('parseEncoding', () => {
  it('takes the usual names of the supported encodings, and nothing else', () => {
    const labels = ['utf-8', 'UTF8', 'latin1', 'ISO-8859-1', 'cp1252', 'windows-1252', 'utf-16', 'utf-16be'];
    expect(labels.map(parseEncoding)).toEqual([
      'utf-8',
      'utf-8',
      'windows-1252',
      'windows-1252',
      'windows-1252',
      'windows-1252',
      'utf-16le',
      'utf-16be',
    ]);
    expect(['shift_jis', 'ebcdic', ''].map(parseEncoding)).toEqual([undefined, undefined, undefined]);
  });
});
