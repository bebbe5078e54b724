import { describe, expect, it } from 'vitest';
import { type CsvReadOptions, readCsv } from '../../../functions/adapters/csv-reader';
import { customerCsvColumns } from '../../../functions/schemas/customer';
import type { CsvRecord } from '../../../functions/use-cases/csv-import';
import { accentedNames, csvText, utf8, utf16, windows1252 } from '../../support/text-encodings';

const header = [...customerCsvColumns];
const rows = accentedNames.map((name, n) => [`C${n}`, `c${n}@example.com`, name, `${name}-son`, 'S1', 'fr']);
const table = [header, ...rows];

/** The bytes in chunks of `size`, as a file or network stream would deliver them. */
async function* chunked(bytes: Uint8Array, size = bytes.length) {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

const read = async (bytes: Uint8Array, options: Partial<CsvReadOptions> = {}, chunkSize?: number) => {
  const source = readCsv(chunked(bytes, chunkSize), { requiredColumns: customerCsvColumns, ...options });
  const records: CsvRecord[] = [];
  for await (const record of source.records) records.push(record);
  return { records, format: source.format() };
};

const valuesOf = (records: CsvRecord[]) => records.map((record) => record.values);

describe('readCsv', () => {
  it.each([
    ['UTF-8 without a byte-order mark, commas', utf8(csvText(table, ',')), 'utf-8', ','],
    [
      'UTF-8 with a byte-order mark ("CSV UTF-8"), semicolons',
      utf8(csvText(table, ';'), { bom: true }),
      'utf-8',
      ';',
    ],
    ['Windows-1252, semicolons (a French Excel)', windows1252(csvText(table, ';')), 'windows-1252', ';'],
    ['UTF-16 LE with its mark, tabs ("Unicode text")', utf16(csvText(table, '\t'), 'le'), 'utf-16le', '\t'],
    ['UTF-16 BE with its mark, tabs', utf16(csvText(table, '\t'), 'be'), 'utf-16be', '\t'],
  ])('reads %s with every accent intact', async (_name, bytes, encoding, delimiter) => {
    const { records, format } = await read(bytes);
    expect(format).toEqual({ encoding, delimiter });
    expect(valuesOf(records)).toEqual(table);
    expect(records.map((record) => record.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(records.some((record) => record.invalidText !== undefined)).toBe(false);
  });

  it.each([
    [
      'UTF-8 with its mark',
      utf8(csvText([...table, ['C9', 'e@x.com', '😀 Zoë', 'x', 'S1', 'fr']], ','), { bom: true }),
    ],
    ['UTF-16 LE', utf16(csvText([...table, ['C9', 'e@x.com', '😀 Zoë', 'x', 'S1', 'fr']], '\t'), 'le')],
    ['Windows-1252', windows1252(csvText(table, ';'))],
  ])('decodes %s fed one byte at a time, cut inside every character and mark', async (_name, bytes) => {
    const whole = await read(bytes);
    const byByte = await read(bytes, {}, 1);
    expect(byByte).toEqual(whole);
    expect(JSON.stringify(valuesOf(byByte.records))).not.toContain('\\ufffd');
  });

  it('decodes chunks that end inside a multi-byte character, past the bytes held to detect the encoding', async () => {
    const many = [header, ...Array.from({ length: 700 }, () => rows).flat()];
    const bytes = utf8(csvText(many, ','));
    expect(bytes.length).toBeGreaterThan(2 * 64 * 1024);
    const sizes = [997, 1009, 1013, 1019, 1021];
    const cutsInsideCharacters = sizes.flatMap((size) =>
      // Offsets past the bytes held to decide, where a continuation byte starts the next chunk.
      Array.from({ length: Math.floor(bytes.length / size) }, (_, n) => (n + 1) * size).filter(
        (offset) => offset > 64 * 1024 && ((bytes[offset] ?? 0) & 0xc0) === 0x80,
      ),
    );
    expect(cutsInsideCharacters.length).toBeGreaterThan(5);
    for (const size of sizes) {
      const { records, format } = await read(bytes, {}, size);
      expect(format.encoding).toBe('utf-8');
      expect(valuesOf(records)).toEqual(many);
    }
  });

  it('decides between UTF-8 and Windows-1252 at the first accent, even far into the file', async () => {
    const plain = (tag: string) =>
      Array.from({ length: 4000 }, (_, n) => [
        `${tag}${n}`,
        `${tag}${n}@example.com`,
        'Ann',
        'Lee',
        'S1',
        'en',
      ]);
    // ASCII for more than 128 KiB, the accents, then 128 KiB more: the decision is taken mid-stream.
    const late = [header, ...plain('P'), ...rows, ...plain('Q')];
    expect(csvText(plain('P'), ',').length).toBeGreaterThan(128 * 1024);
    for (const [bytes, encoding] of [
      [windows1252(csvText(late, ',')), 'windows-1252'],
      [utf8(csvText(late, ',')), 'utf-8'],
    ] as const) {
      const { records, format } = await read(bytes, {}, 16 * 1024);
      expect(format.encoding).toBe(encoding);
      expect(valuesOf(records)).toEqual(late);
    }
  });

  it('rejects, with its line and column, a row of a UTF-8 file holding bytes that are not UTF-8', async () => {
    const bad = Buffer.concat([
      utf8(csvText(table, ',')),
      Buffer.from('C7,c7@example.com,J'),
      Buffer.from([0xe9]), // é in Windows-1252, not UTF-8
      Buffer.from('rome,X,S1,fr\r\n'),
      utf8('C8,c8@example.com,Zoë,Y,S1,fr\r\n'),
    ]);
    const { records, format } = await read(bad);
    expect(format.encoding).toBe('utf-8');
    const rejected = records.filter((record) => record.invalidText !== undefined);
    expect(rejected.map(({ line, invalidText }) => ({ line, invalidText }))).toEqual([
      {
        line: 7,
        invalidText:
          'firstName: bytes that are not valid UTF-8 (if the file is not UTF-8, say which encoding with --encoding)',
      },
    ]);
    expect(records.at(-1)?.values[2]).toBe('Zoë');
  });

  it('rejects a Windows-1252 byte that is no character, rather than storing a control character', async () => {
    const bytes = Buffer.concat([
      windows1252(csvText(table, ';')),
      Buffer.from('C9;c9@x.com;A\x81;B;S1;fr\r\n', 'latin1'),
    ]);
    const { records, format } = await read(bytes);
    expect(format.encoding).toBe('windows-1252');
    expect(records.at(-1)).toMatchObject({
      line: 7,
      invalidText: expect.stringMatching(/^firstName: .*Windows-1252/),
    });
  });

  it('marks a header holding invalid text too', async () => {
    const bytes = Buffer.concat([utf8('Zoë,'), Buffer.from([0xff, 0x0a]), utf8(csvText(rows, ','))]);
    const { records } = await read(bytes);
    expect(records[0]?.invalidText).toMatch(/^column 2: bytes that are not valid UTF-8/);
  });

  it('takes the encoding and delimiter it is given over what it would detect', async () => {
    const bytes = windows1252(csvText(table, ';'));
    const { records, format } = await read(bytes, { encoding: 'utf-8', delimiter: ',' });
    expect(format).toEqual({ encoding: 'utf-8', delimiter: ',' });
    expect(records[0]?.values).toEqual([header.join(';')]);
    expect(records[1]?.invalidText).toBeDefined();
  });

  it('picks the delimiter from the header even when a column name holds another one', async () => {
    const semicolons = [[...header, 'shoe size, EU'], ...rows.map((row) => [...row, '42'])];
    const { records, format } = await read(utf8(csvText(semicolons, ';')));
    expect(format.delimiter).toBe(';');
    expect(valuesOf(records)).toEqual(semicolons);
  });

  it('reads an empty file as no records', async () => {
    expect(await read(new Uint8Array(0))).toEqual({
      records: [],
      format: { encoding: 'utf-8', delimiter: ',' },
    });
  });
});
