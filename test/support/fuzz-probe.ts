import fc from 'fast-check';
import { beforeAll, expect } from 'vitest';
import { foreignMarkup } from './fuzz-hostile';
import {
  changesBetween,
  ourEmails,
  queueDepths,
  type Reply,
  secret,
  seededEmails,
  send,
  snapshotTables,
} from './fuzz-world';

/**
 * Probes for the fuzz suite: one request, every invariant that holds for any answer checked on it
 * (never a 5xx, an allowed status, JSON or a safe page, no stack trace, secret, foreign store's data
 * or e-mail address), and the figures of a file's run.
 */

export const seed = 20_260_522;
export const stats = {
  requests: 0,
  hostile: 0,
  serverErrors: 0,
  unanswered: 0,
  unexpectedWrites: 0,
  unescaped: 0,
  invariants: 0,
};

export interface Probe {
  /** What is being tried, for the failure message. */
  readonly label: string;
  readonly method: string;
  /** Sent as is (no normalisation), so traversal and bad encodings reach the server. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** The statuses this request may get; anything else fails. */
  readonly allowed: readonly number[];
  /** A bad or hostile input (a fault injected), as opposed to a well-formed control request. */
  readonly hostile: boolean;
  /** The stores whose data the caller may see: `all`, a list, or none (anonymous). */
  readonly sees?: 'all' | readonly string[];
}

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** Counts an invariant, and fails with what was sent and received when it does not hold. */
const check = (holds: boolean, invariant: string, probe: Probe, reply?: Reply) => {
  stats.invariants++;
  if (holds) return;
  throw new Error(
    `${invariant}\n  probe: ${probe.label}: ${probe.method} ${probe.path.slice(0, 300)}` +
      (reply ? `\n  got ${reply.status}: ${reply.body.slice(0, 500)}` : ''),
  );
};

const storeIdsIn = (value: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) for (const item of value) storeIdsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'storeId' && typeof item === 'string') found.add(item);
      else storeIdsIn(item, found);
    }
  }
  return found;
};

/** Sends a probe and checks every invariant that holds for any answer. */
export const probe = async (request: Probe) => {
  stats.requests++;
  if (request.hostile) stats.hostile++;
  let reply: Reply;
  try {
    reply = await send(request);
  } catch (error) {
    stats.unanswered++;
    check(false, `every request gets an answer (${(error as Error).message})`, request);
    throw error;
  }
  if (reply.status >= 500) stats.serverErrors++;
  check(reply.status < 500, 'never a 5xx', request, reply);
  check(request.allowed.includes(reply.status), `status is one of ${request.allowed}`, request, reply);
  check(
    Object.getOwnPropertyNames(Object.prototype).sort().join(',') === prototypeKeys &&
      ({} as Record<string, unknown>).polluted === undefined,
    'Object.prototype is untouched',
    request,
    reply,
  );
  if (request.method === 'HEAD') return reply;
  const type = String(reply.headers['content-type'] ?? '');
  check(/^(application\/json|text\/html)/.test(type), 'the answer is JSON or HTML', request, reply);
  check(!/\bat \S+ \(|\.[jt]s:\d+:\d+|node_modules/.test(reply.body), 'no stack trace', request, reply);
  check(!reply.body.includes(secret()), 'no secret in the answer', request, reply);
  if (type.startsWith('application/json')) {
    let json: unknown;
    check(
      (() => {
        try {
          json = JSON.parse(reply.body);
          return true;
        } catch {
          return false;
        }
      })(),
      'a JSON answer parses',
      request,
      reply,
    );
    if (reply.status >= 400) {
      const message = (json as { message?: unknown } | null)?.message;
      check(typeof message === 'string' && message.length > 0, 'an error says what is wrong', request, reply);
    }
    const sees = request.sees ?? [];
    if (sees !== 'all') {
      const foreign = [...storeIdsIn(json)].filter((storeId) => !sees.includes(storeId));
      check(foreign.length === 0, `no data of stores the caller may not see (${foreign})`, request, reply);
    }
  } else {
    const markup = foreignMarkup(reply.body);
    if (markup.length > 0) stats.unescaped++;
    check(markup.length === 0, `no injected markup in a page (${markup})`, request, reply);
    check(
      /default-src 'none'/.test(String(reply.headers['content-security-policy'] ?? '')),
      'a page has a strict Content-Security-Policy',
      request,
      reply,
    );
    check(/<title>[^<]+<\/title>/.test(reply.body), 'a page has a title', request, reply);
    if (reply.status >= 400)
      check(/<p>[^<]+<\/p>/.test(reply.body), 'an error page says what is wrong', request, reply);
  }
  if (request.sees === undefined) {
    const leaked = seededEmails.filter((email) => reply.body.includes(email));
    check(leaked.length === 0, `no e-mail address to an anonymous caller (${leaked})`, request, reply);
  }
  return reply;
};

/** Runs a property over generated probes with the fixed seed; a failure is shrunk to its simplest case. */
export const fuzz = async (arbitrary: fc.Arbitrary<Probe>, numRuns: number, offset: number) => {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (request) => {
      await probe(request);
    }),
    { seed: seed + offset, numRuns },
  );
};

/**
 * Takes a snapshot of every table, queue and the mail before the tests of the calling `describe`;
 * `expectWrittenOnly` then checks they changed nothing but the items listed (`changed {table} {key}`).
 */
export const trackWrites = () => {
  let before: Map<string, string>;
  let queuesBefore: string[];
  let mailBefore: number;

  beforeAll(async () => {
    before = await snapshotTables();
    queuesBefore = await queueDepths();
    mailBefore = (await ourEmails()).length;
  });

  return {
    expectWrittenOnly: async (...allowed: string[]) => {
      const after = await snapshotTables();
      const unexpected = changesBetween(before, after).filter((change) => !allowed.includes(change));
      stats.unexpectedWrites += unexpected.length;
      stats.invariants += after.size + 2;
      expect(unexpected).toEqual([]);
      expect(changesBetween(before, after)).toHaveLength(allowed.length);
      expect(await queueDepths()).toEqual(queuesBefore);
      expect((await ourEmails()).length).toBe(mailBefore);
    },
  };
};

/** Prints a file's figures, and checks nothing was lost, no 5xx, no write and nothing unescaped. */
export const expectCleanFigures = (file: string, minimumRequests: number) => {
  const figure = (value: number) => value.toLocaleString('en-US');
  console.log(
    `fuzz ${file}: ${figure(stats.requests)} requests (${figure(stats.hostile)} faults injected), ` +
      `${figure(stats.serverErrors)} 5xx, ${figure(stats.unanswered)} unanswered, ` +
      `${figure(stats.unexpectedWrites)} unexpected writes, ${figure(stats.unescaped)} unescaped payloads, ` +
      `${figure(stats.invariants)} invariants checked`,
  );
  expect(stats.requests).toBeGreaterThanOrEqual(minimumRequests);
  expect(stats).toMatchObject({ serverErrors: 0, unanswered: 0, unexpectedWrites: 0, unescaped: 0 });
};
