import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyAnswer,
  malformedSegment,
  managerRoutes,
  publicRoutes,
  query,
  randomHeaders,
  text,
} from '../../support/fuzz-arbitraries';
import { percentEncode } from '../../support/fuzz-hostile';
import { expectCleanFigures, fuzz, type Probe, probe, trackWrites } from '../../support/fuzz-probe';
import { tokenOf, useFuzzWorld } from '../../support/fuzz-world';

/**
 * Fuzz suite, the local API as a whole: which routes are public, generated paths, methods and headers,
 * and bodies and headers larger than API Gateway or a server takes. Every answer must be a clear 4xx
 * (never a 5xx) unless the request is valid, and nothing may be written. Fixed seeds: the same
 * requests on every run (see test/support/fuzz-*.ts).
 */

useFuzzWorld('fuzz-local-api', { detractors: true });

describe('access, bad input and attacks: paths, methods, headers and sizes', () => {
  const writes = trackWrites();

  it('declares as public only the customer links, health and the two data-less pages', () => {
    expect(publicRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
      'GET /d',
      'GET /health',
      'GET /m',
      // The consent confirmation e-mail's withdraw link: asks, then withdraws with a POST.
      'GET /q/{token}',
      'GET /s/{token}',
      // The e-mail's hidden link: notes a scanner's visit on the survey, shows nothing.
      'GET /s/{token}/about',
      'GET /u/{token}',
      'POST /q/{token}',
      'POST /s/{token}',
      // A promoter's consent to be quoted, from the thank-you page.
      'POST /s/{token}/consent',
      'POST /u/{token}',
    ]);
    expect(managerRoutes.length).toBeGreaterThanOrEqual(7);
  });

  it('answers generated paths, methods and headers with 4xx, and never lets a path around the token check', async () => {
    const segment = fc.oneof(
      fc.constant(''),
      fc.constantFrom(
        ...[
          's u m d r cases report dashboard exports health M CASES admin .env .git',
          '.. . %2e%2e %2e %2F %00 etc passwd %252e%252e %c0%ae%c0%ae ..; ;',
        ]
          .join(' ')
          .split(' '),
      ),
      fc.webSegment(),
      text.map(percentEncode),
      malformedSegment,
    );
    const path = fc.oneof(
      fc.array(segment, { maxLength: 7 }).map((segments) => `/${segments.join('/')}`),
      fc.constantFrom(
        ...[
          '/s/../../etc/passwd /s/..%2F..%2Fetc%2Fpasswd /%2e%2e/%2e%2e/etc/passwd /health/../m/cases',
          '/d/../r/report /m/./cases //m/cases /M/CASES /m/cases/ /m/cases// /m%2Fcases /m/cases%2F',
          '/m/cases;.js /r/exports/..%2F..%2Fm%2Fcases /health%00 http://evil.example/m/cases',
        ]
          .join(' ')
          .split(' '),
        '*',
        `/${'a'.repeat(6000)}`,
        `/m/cases/${'%2e'.repeat(3000)}`,
      ),
    );
    const method = fc.constantFrom(...'GET POST PUT DELETE PATCH OPTIONS HEAD PROPFIND FOO'.split(' '));
    const randomRequest = fc.tuple(method, path, query, randomHeaders, fc.option(anyAnswer)).map(
      ([verb, where, search, headers, answer]): Probe => ({
        label: `${verb} a generated path`,
        method: verb,
        path: `${where}${search}`,
        headers: { ...headers, ...(answer && { 'content-type': answer.type }) },
        body: verb === 'GET' || verb === 'HEAD' ? undefined : answer?.body,
        // A generated path may land on a public page (200); a manager route answers 401 without a token.
        allowed: [200, 400, 401, 404, 405, 413, 431],
        hostile: true,
      }),
    );
    const publicPages = fc
      .tuple(
        fc.constantFrom('/health', '/m', '/d'),
        query,
        randomHeaders,
        fc.constantFrom('GET', 'POST', 'PUT'),
      )
      .map(
        ([where, search, headers, verb]): Probe => ({
          label: `${verb} ${where}`,
          method: verb,
          path: `${where}${search}`,
          headers,
          body: verb === 'GET' ? undefined : '{"score":5}',
          allowed: verb === 'GET' ? [200] : [404, 405],
          hostile: verb !== 'GET',
        }),
      );
    await fuzz(randomRequest, 450, 6);
    await fuzz(publicPages, 100, 7);
  });

  it('refuses a body larger than API Gateway takes, and headers larger than a server takes', async () => {
    for (const path of ['/s/x', `/s/${tokenOf('C6')}`, '/m/cases/x', '/health']) {
      await probe({
        label: `11 MB to ${path}`,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(11 * 1024 * 1024, 'a'),
        allowed: [413],
        hostile: true,
      });
    }
    for (const method of ['GET', 'HEAD'])
      await probe({
        label: `${method} with 40 KB of headers`,
        method,
        path: '/health',
        headers: { 'x-big': 'b'.repeat(40_000) },
        allowed: [431],
        hostile: true,
      });
  });

  it('wrote nothing: no item, no queued task, no e-mail', async () => {
    await writes.expectWrittenOnly();
  });

  it('prints its figures, with nothing lost, no 5xx, no write and nothing unescaped', () => {
    expectCleanFigures('local-api', 550);
  });
});
