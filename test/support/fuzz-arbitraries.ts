import fc from 'fast-check';
import { routes } from '../../functions/resources/routes';
import { reasonCodes } from '../../functions/schemas/answer';
import { formOf, hostileText, percentEncode } from './fuzz-hostile';
import { tokenOf } from './fuzz-world';

/**
 * Generators of the fuzz suite (test/integration/fuzz/): headers, bodies, answers, tokens, paths and
 * queries, hostile and malformed, from which each file builds its requests. With the fixed seed, the
 * same generator draws the same requests on every run.
 */

export const managerRoutes = routes.filter((route) => 'auth' in route && route.auth === 'manager');
export const publicRoutes = routes.filter((route) => !('auth' in route));
export const pathOf = (template: string, parameters: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => parameters[name] ?? 'x');
export const validBodyOf = (path: string) =>
  path.startsWith('/r/exports')
    ? '{"segment":"promoters"}'
    : path.endsWith('/close')
      ? '{"resolution":"apology","requestId":"fuzz-request-1"}'
      : path.endsWith('/notes')
        ? '{"note":"Called.","requestId":"fuzz-request-1"}'
        : '{"outcome":"reached","note":"Called.","requestId":"fuzz-request-1"}';

export const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,80}$/),
  fc.constantFrom(...hostileText.filter((text) => /^[\x21-\x7e][\x20-\x7e]*$/.test(text))),
  fc.constant('x'.repeat(1500)),
);
export const reservedHeaders = new Set(
  'content-length transfer-encoding connection host expect upgrade te trailer keep-alive proxy-connection content-type authorization accept'.split(
    ' ',
  ),
);
export const randomHeaders = fc
  .tuple(
    fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,24}$/).filter((name) => !reservedHeaders.has(name)),
      headerValue,
      { maxKeys: 4 },
    ),
    fc.record(
      {
        'x-http-method-override': fc.constantFrom('POST', 'DELETE', 'PUT'),
        'x-forwarded-for': fc.constantFrom('127.0.0.1', '10.0.0.1, 1.2.3.4', '<script>'),
        'x-forwarded-host': fc.constantFrom('evil.example', 'localhost'),
        cookie: fc.constantFrom('session=admin', '__proto__=x; a=b', 'a='.repeat(200)),
        'user-agent': headerValue,
        'accept-language': fc.constantFrom(
          'fr',
          '*',
          'xx-INVALID',
          'en;q=abc',
          '<img src=x onerror=alert(1)>',
        ),
        accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', 'garbage', ''),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([random, known]) => ({ ...random, ...known }) as Record<string, string>);

export const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'Application/JSON'];
export const wrongTypes = [
  'text/plain',
  'text/html',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'image/png',
  'application/jsonp',
  'application/json-patch+json',
  'application/x-www-form-urlencoded-x',
  '',
];
export const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...hostileText),
);
export const isValidScore = (value: unknown) =>
  (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10) ||
  (typeof value === 'string' && /^\s*\d{1,2}\s*$/.test(value) && Number(value) <= 10);
export const invalidScoreText = fc
  .oneof(
    fc.constantFrom('NaN', 'Infinity', '-1', '11', '99', '1e1', '0x5', '٣', '１０', '5.0', '+5', '011', ' '),
    fc.string({ maxLength: 6 }),
    fc.constantFrom(...hostileText),
  )
  .filter((value) => !isValidScore(value));
export const invalidScore = fc
  .oneof(
    fc.integer({ min: 11 }),
    fc.integer({ max: -1 }),
    fc.double(),
    fc.constantFrom(1e308, -1e308, 2 ** 64, 1e-320, Number.NaN),
    invalidScoreText,
    fc.jsonValue({ maxDepth: 2 }),
  )
  .filter((value) => !isValidScore(JSON.parse(JSON.stringify(value) ?? 'null')));
export const anyKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'comment', 'reasons', 'source', 'score'),
);
export const jsonObject = (entries: readonly (readonly [string, unknown])[]) =>
  `{${entries
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`)
    .join(',')}}`;
export const pollution = fc.constantFrom(
  '{"__proto__":{"polluted":"yes","admin":true},"score":11}',
  '{"constructor":{"prototype":{"polluted":"yes"}},"score":"x"}',
  '{"score":{"__proto__":{"polluted":"yes"}}}',
);
export const deepJson = fc
  .integer({ min: 100, max: 7000 })
  .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

/** An answer body that can never be recorded: its score (the last `score` key, or the first form field) is bad. */
export const unrecordableAnswer = fc.oneof(
  fc
    .tuple(
      fc.array(fc.tuple(anyKey, fc.jsonValue({ maxDepth: 3 })), { maxLength: 4 }),
      fc.option(fc.oneof(text, fc.jsonValue({ maxDepth: 2 }))),
      fc.option(fc.oneof(fc.array(fc.oneof(fc.constantFrom(...reasonCodes), text)), fc.jsonValue())),
      invalidScore,
      fc.constantFrom(...jsonTypes),
    )
    .map(([extra, comment, reasons, score, type]) => ({
      type,
      body: jsonObject([
        ...extra,
        ['comment', comment ?? undefined],
        ['reasons', reasons ?? undefined],
        ['score', score],
      ]),
    })),
  fc
    .tuple(
      invalidScoreText,
      fc.array(fc.tuple(anyKey, text), { maxLength: 5 }),
      fc.constantFrom(
        'application/x-www-form-urlencoded',
        'application/x-www-form-urlencoded; charset=iso-8859-1',
      ),
    )
    .map(([score, rest, type]) => ({ type, body: formOf([['score', score], ...rest]) })),
  fc.tuple(pollution, fc.constantFrom(...jsonTypes)).map(([body, type]) => ({ type, body })),
  fc.tuple(deepJson, fc.constantFrom(...jsonTypes)).map(([body, type]) => ({ type, body })),
  // Valid answers, but malformed JSON, a byte order mark, or a wrong content type.
  fc
    .constantFrom(
      '{"score":5',
      '\ufeff{"score":5}',
      '{"score":5,}',
      "{'score':5}",
      'score=5',
      'null',
      '[{"score":5}]',
    )
    .map((body) => ({ type: 'application/json', body })),
  fc
    .tuple(fc.constantFrom('{"score":5}', 'score=5&comment=hi'), fc.constantFrom(...wrongTypes))
    .map(([body, type]) => ({ type, body })),
  // Larger than a survey answer may be: 16 KB, 1 MB, 2 MB of an otherwise valid answer.
  fc
    .tuple(fc.constantFrom(16 * 1024 + 1, 1024 * 1024, 2 * 1024 * 1024), fc.constantFrom(...jsonTypes))
    .map(([size, type]) => ({ type, body: JSON.stringify({ score: 5, comment: 'y'.repeat(size) }) })),
);
export const anyAnswer = fc.oneof(
  unrecordableAnswer,
  fc
    .record({
      score: fc.integer({ min: 0, max: 10 }),
      comment: text,
      reasons: fc.subarray([...reasonCodes]),
    })
    .map((answer) => ({ type: 'application/json', body: JSON.stringify(answer) })),
);
/** Content types whose body API Gateway hands over as text (others arrive base64-encoded). */
export const textual = (type: string) =>
  /^(text\/|application\/(json|x-www-form-urlencoded|xml))/i.test(type);
export const isOversized = (body: string) => Buffer.byteLength(body) > 16 * 1024;

export const malformedSegment = fc.constantFrom(
  ...'% %zz %E0%A4%A %C0%AF %ED%A0%80 %FF a%2 %u0041'.split(' '),
);
export const strangeToken = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map(percentEncode),
  fc.constantFrom(...hostileText).map(percentEncode),
  fc.constantFrom(..."..%2F..%2Fetc%2Fpasswd %2F %2e%2e%2f %252F %00 ~ $ ' * ; ,".split(' ')),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,21}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{65,300}$/),
  fc.constant('a'.repeat(8000)),
);
export type TokenKind = 'open' | 'answered' | 'expired' | 'unknown' | 'strange' | 'malformed';
export const surveyTokens = (kinds: readonly TokenKind[]) =>
  fc.oneof(
    ...kinds.map((kind) =>
      (kind === 'open'
        ? fc.constantFrom(tokenOf('C6'), tokenOf('C4'))
        : kind === 'answered'
          ? fc.constantFrom(tokenOf('C1'), tokenOf('C5'))
          : kind === 'expired'
            ? fc.constant(tokenOf('C3'))
            : kind === 'unknown'
              ? fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)
              : kind === 'strange'
                ? strangeToken
                : malformedSegment
      ).map((token) => ({ kind, token })),
    ),
  );
export const query = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(anyKey, fc.oneof(text, invalidScoreText, fc.integer().map(String))), { maxLength: 4 })
    .map((pairs) => `?${formOf(pairs)}`),
  fc.constantFrom(
    ...'?score=1&score=2 ?score=10 ?score=-1 ?score[]=1 ?%zz=1 ?a=% ?=&&== ?score=%00'.split(' '),
  ),
);
