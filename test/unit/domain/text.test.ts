import { describe, expect, it } from 'vitest';
import { singleLine } from '../../../functions/domain/text';

describe('singleLine', () => {
  it('keeps a clean name as it is', () => {
    expect(singleLine('Lyon Part-Dieu')).toBe('Lyon Part-Dieu');
    expect(singleLine('Zoë Ødegård-Núñez 李')).toBe('Zoë Ødegård-Núñez 李');
  });

  it('turns CR, LF and TAB into one space, so no header can follow', () => {
    expect(singleLine('Ada\r\nBcc: everyone@example.com')).toBe('Ada Bcc: everyone@example.com');
    expect(singleLine('Ada\tByron')).toBe('Ada Byron');
    expect(singleLine('Ada\rByron\n')).toBe('Ada Byron');
  });

  it('removes every other C0 and C1 control character and DEL', () => {
    expect(singleLine('A\u0000d\u0007a\u001b[31m')).toBe('A d a [31m');
    expect(singleLine('Ada\u007fByron')).toBe('Ada Byron');
    expect(singleLine('Ada\u0085Byron\u009b')).toBe('Ada Byron');
  });

  it('turns the Unicode line and paragraph separators into a space', () => {
    expect(singleLine('Ada\u2028Byron\u2029King')).toBe('Ada Byron King');
  });

  it('collapses runs of whitespace and trims the ends', () => {
    expect(singleLine('  Ada \u00a0\u3000  Byron \r\n\t ')).toBe('Ada Byron');
    expect(singleLine('\r\n\t')).toBe('');
  });

  it('leaves no control character or separator in any string', () => {
    const all = Array.from({ length: 0x3000 }, (_, code) => String.fromCharCode(code)).join('x');
    expect(singleLine(all)).not.toMatch(/[\p{Cc}\u2028\u2029]|\s{2}/u);
  });
});
