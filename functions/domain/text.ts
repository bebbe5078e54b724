/** Rules for text the business or a customer gave us, before it goes where it could do harm: pure. */

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const breaking = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * A name as one clean line, for an e-mail subject or header: every control character (CR, LF, TAB,
 * the rest of C0 and C1) and line or paragraph separator becomes a space, runs of whitespace become
 * one space, and the ends are trimmed. A line break in a subject could start a header of its own.
 */
export const singleLine = (text: string): string => text.replace(breaking, ' ').replace(/\s+/g, ' ').trim();

/** Lower case, no accents or marks, ligatures split (NFKD, then ß œ æ): `Bœuf Café` → `boeuf cafe`. */
export const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
