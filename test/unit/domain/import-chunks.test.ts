import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planChunks } from '../../../functions/domain/import-chunks';

const bytesOf = (text: string) => new TextEncoder().encode(text);

/** Records with the line each ends on, as the local import's reader numbers them. */
const recordsOf = (text: string) =>
  (
    parse(text, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[]
  ).map(({ record, info }) => ({ values: record, line: info.lines }));

/** What the workers read: each chunk's bytes behind the header, renumbered with the chunk's first line. */
const recordsThroughChunks = (text: string, chunkBytes: number) => {
  const bytes = bytesOf(text);
  const plan = planChunks(bytes, chunkBytes);
  const header = bytes.subarray(0, plan.headerEnd);
  const decoder = new TextDecoder();
  return [
    ...recordsOf(decoder.decode(header)),
    ...plan.chunks.flatMap(({ start, end, firstLine }) =>
      recordsOf(decoder.decode(Buffer.concat([header, bytes.subarray(start, end)])))
        .slice(1)
        .map((record) => ({ ...record, line: record.line + firstLine - 2 })),
    ),
  ];
};

describe('planChunks', () => {
  it('starts each chunk on the first line after its planned start, and the first after the header', () => {
    const text = 'id,name\n1,aaaa\n2,bbbb\n3,cccc\n4,dddd\n';
    const plan = planChunks(bytesOf(text), 10);
    expect(plan.headerEnd).toBe(8);
    expect(plan.chunks).toEqual([
      { chunk: 0, start: 8, end: 22, firstLine: 2 },
      { chunk: 1, start: 22, end: 36, firstLine: 4 },
    ]);
    expect(plan.lines).toBe(5);
  });

  it('ends a CRLF line at its line feed, so no chunk starts with a stray carriage return', () => {
    const text = 'id,name\r\n1,a\r\n2,b\r\n3,c\r\n';
    const plan = planChunks(bytesOf(text), 1);
    expect(plan.chunks.map(({ start }) => text.slice(start, start + 1))).toEqual(['1', '2', '3']);
    expect(recordsThroughChunks(text, 1)).toEqual(recordsOf(text));
  });

  it('never cuts inside a quoted field that spans lines, and numbers lines as the whole-file reader', () => {
    const text = 'id,note\n1,"two\nlines"\n2,"say ""hi""\nthere"\n3,plain\n';
    const plan = planChunks(bytesOf(text), 1);
    expect(plan.chunks.map(({ firstLine }) => firstLine)).toEqual([2, 4, 6]);
    expect(recordsThroughChunks(text, 1)).toEqual(recordsOf(text));
  });

  it('reads a last line without a line feed, and plans no chunk for a file that is only a header', () => {
    expect(recordsThroughChunks('id\n1\n2', 1)).toEqual(recordsOf('id\n1\n2'));
    expect(planChunks(bytesOf('id,name\n'), 4).chunks).toEqual([]);
    expect(planChunks(bytesOf('id,name'), 4)).toMatchObject({ headerEnd: 7, chunks: [] });
  });

  it('lets one long record span several planned chunks rather than split it', () => {
    const text = `id,note\n1,"${'x\n'.repeat(50)}"\n2,y\n`;
    const plan = planChunks(bytesOf(text), 8);
    expect(plan.chunks).toHaveLength(2);
    expect(recordsThroughChunks(text, 8)).toEqual(recordsOf(text));
  });

  it('finds the first byte outside ASCII (to tell UTF-8 from Windows-1252)', () => {
    expect(planChunks(bytesOf('id\nxé\n'), 4).firstNonAscii).toBe(4);
    expect(planChunks(bytesOf('id\nx\n'), 4).firstNonAscii).toBe(-1);
  });

  it('reads every record once, with its line, whatever the chunk size, line endings and quoting', () => {
    const field = fc.oneof(
      fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
      fc
        .array(fc.constantFrom('a', ',', '<NL>', '""', ' '), { maxLength: 6 })
        .map((parts) => `"${parts.join('')}"`),
    );
    const row = fc.array(field, { minLength: 1, maxLength: 4 }).map((fields) => fields.join(','));
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        (rows, newline, finalNewline, chunkBytes) => {
          // Line breaks inside quotes are LFs: csv-parse counts a CRLF inside quotes as two lines, the
          // planner (counting line feeds) as one, so line numbers after one would differ by one.
          const text = (['id,a,b,c', ...rows].join(newline) + (finalNewline ? newline : '')).replaceAll(
            '<NL>',
            '\n',
          );
          expect(recordsThroughChunks(text, chunkBytes)).toEqual(recordsOf(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});
