/** Files as spreadsheets write them, built byte by byte in the tests (no binary fixtures). */

/** The names every encoding test must bring back intact. */
export const accentedNames = ['Jérôme', 'Zoë', 'Ñúñez', 'Œuvre', '€uro'] as const;

/** Windows-1252's characters in 0x80–0x9F that the accented names use (the rest is Latin-1: byte = code). */
const windows1252High: Record<string, number> = { '€': 0x80, Œ: 0x8c, œ: 0x9c, Ÿ: 0x9f, '…': 0x85 };

export const windows1252 = (text: string): Buffer =>
  Buffer.from(
    Array.from(text, (character) => {
      const code = character.codePointAt(0) ?? 0;
      const byte = windows1252High[character] ?? (code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : -1);
      if (byte < 0) throw new Error(`${character} has no Windows-1252 byte`);
      return byte;
    }),
  );

export const utf8 = (text: string, { bom = false } = {}): Buffer =>
  Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(new TextEncoder().encode(text))]);

/** Excel's "Unicode text": UTF-16 with a byte-order mark. */
export const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return order === 'le' ? little : little.swap16();
};

/** CSV text from rows, quoting what needs it, lines ended as Excel ends them. */
export const csvText = (rows: readonly (readonly string[])[], delimiter: string, lineEnd = '\r\n'): string =>
  rows
    .map((row) =>
      row
        .map((value) =>
          /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replaceAll('"', '""')}"` : value,
        )
        .join(delimiter),
    )
    .join(lineEnd) + lineEnd;
