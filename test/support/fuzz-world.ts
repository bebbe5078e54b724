import { createHash } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, expect } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { queues } from '../../functions/resources/queues';
import { tables } from '../../functions/resources/tables';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { attack, formOf, xssComment } from './fuzz-hostile';
import { type IsolatedStack, startIsolatedStack } from './isolated-stack';
import { type StoredEmail, sentEmails } from './ses-store';
import { signInAs, staffPassword } from './staff';
import { syncStaffAccounts } from './staff-bindings';

/**
 * The world every fuzz file (test/integration/fuzz/) attacks: a stack of its own behind the local
 * API, two stores, customers with hostile names, and their surveys (C1, C2, C5 answered as
 * detractors, C3 expired, C4 and C6 open), managers' and marketing's tokens, and forged ones.
 */
export const world = {
  stack: undefined as unknown as IsolatedStack,
  api: undefined as unknown as Awaited<ReturnType<typeof startApiServer>>,
  port: 0,
  domain: '',
  /** The job marketing started in `startMarketingExport`. */
  exportJobId: '',
};

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

// ---------------------------------------------------------------------------------------------------
// Sending requests

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/**
 * Sends a probe on a kept-alive connection. A request on a reused connection that the server closed
 * as idle at the same moment is reset before the server reads it; it is sent again once, on a new
 * connection, as Node's documentation advises (`request.reusedSocket`).
 */
export const send = (probe: Probe): Promise<Reply> =>
  sendOnce(probe).catch((error: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    if (error.reusedSocket && error.code === 'ECONNRESET') return sendOnce(probe);
    throw error;
  });

const sendOnce = (probe: Probe) =>
  new Promise<Reply>((resolve, reject) => {
    const body = probe.body === undefined ? undefined : Buffer.from(probe.body);
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: world.port,
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
    request.on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
    request.end(body);
  });

/** What no answer may ever hold: the staff accounts' password. */
export const secret = () => staffPassword;

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
export const snapshotTables = async () => {
  const client = new DynamoDBClient({});
  const snapshot = new Map<string, string>();
  try {
    for (const table of tables) {
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: world.stack.env[table.envVar],
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
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

export const changesBetween = (before: Map<string, string>, after: Map<string, string>) =>
  [...new Set([...before.keys(), ...after.keys()])]
    .filter((key) => before.get(key) !== after.get(key))
    .map((key) => `${before.has(key) ? (after.has(key) ? 'changed' : 'deleted') : 'added'} ${key}`)
    .sort();

export const queueDepths = async () =>
  Promise.all(
    queues.map(async (queue) => {
      const { Attributes } = await world.stack.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: world.stack.env[queue.envVar],
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return `${queue.id}: ${Attributes?.ApproximateNumberOfMessages}+${Attributes?.ApproximateNumberOfMessagesNotVisible}`;
    }),
  );

export const ourEmails = () => sentEmails((to) => to.endsWith(`@${world.domain}`));

export const emailsTo = async (to: string, subject: RegExp) =>
  (await ourEmails()).filter(
    (email: StoredEmail) => email.destination.to.includes(to) && subject.test(email.subject),
  );

// ---------------------------------------------------------------------------------------------------
// The data: two stores, customers with hostile names, answered, expired and open surveys

export const managerOf = (store: string) => `manager.${store.toLowerCase()}@${world.domain}`;
export const customerEmail = (id: string) => `${id.toLowerCase()}@${world.domain}`;
const surveyToken = new Map<string, string>();
export const tokenOf = (customer: string) => surveyToken.get(customer) ?? '';
/** The case of each detractor (C1, C2, C5), once `answerDetractors` opened them. */
export const caseOf = new Map<string, string>();
/** Every e-mail address of the data: none may reach an anonymous caller. */
export const seededEmails: string[] = [];

export type Who = 's1' | 's2' | 'marketing' | 'customer' | 'noEmail';
export const bearer = {} as Record<Who, string>;
export const seesOf: Record<Who, 'all' | readonly string[]> = {
  s1: ['S1'],
  s2: ['S2'],
  marketing: 'all',
  customer: [],
  noEmail: [],
};
/** Authorization headers that must all be refused: none, malformed, forged, expired, misdirected. */
export const forged: { label: string; authorization?: string }[] = [];

export const answerViaApi = (token: string, body: string, headers: Record<string, string>) =>
  send({ method: 'POST', path: `/s/${token}`, headers, body });

const setUp = async (label: string) => {
  const stack = await startIsolatedStack(label);
  world.stack = stack;
  world.domain = `${stack.namespace}.example.com`;
  world.api = await startApiServer({ port: 0 });
  world.port = Number(new URL(world.api.url).port);
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', `Lyon ${attack.img}`, managerOf('S1'), `region@${world.domain}`, 'Europe/Paris'],
      ['S2', 'Boston Back Bay', managerOf('S2'), `region@${world.domain}`, 'Europe/Paris'],
    ]),
    { stores: stack.stores },
  );
  await syncStaffAccounts(stack.stores);
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
      Key: { token: surveyKeyOf(tokenOf('C3')) },
      UpdateExpression: 'SET expiresAt = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
    }),
  );

  // Tokens the provider never issued: signed with a key of our own, under the provider's issuer and client.
  const issuer = process.env.OIDC_ISSUER_URL ?? '';
  const audience = process.env.OIDC_CLIENT_ID ?? '';
  const { privateKey: strangersKey } = await generateKeyPair('RS256');
  const sign = (
    claims: Record<string, unknown>,
    edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt,
    header: { alg: string; kid?: string } = { alg: 'RS256' },
  ) =>
    edit(
      new SignJWT(claims)
        .setProtectedHeader(header)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h'),
    ).sign(strangersKey);
  bearer.s1 = (await signInAs(managerOf('S1'))).bearer;
  bearer.s2 = (await signInAs(managerOf('S2'))).bearer;
  bearer.marketing = (await signInAs(`marketing@${world.domain}`, { groups: ['marketing'] })).bearer;
  bearer.customer = (await signInAs(customerEmail('C1'))).bearer;
  // A real token without the e-mail: its client asked for `openid` alone.
  bearer.noEmail = (await signInAs(`no-email@${world.domain}`, { scope: 'openid' })).bearer;

  const now = Math.floor(Date.now() / 1000);
  const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { email: managerOf('S1'), 'cognito:groups': ['admin'] };
  const [header = '', payload = '', signature = ''] = (bearer.s2.split(' ')[1] ?? '').split('.');
  const providersKeyId = JSON.parse(Buffer.from(header, 'base64url').toString()).kid as string;
  forged.push(
    { label: 'no token' },
    { label: 'an empty bearer', authorization: 'Bearer ' },
    { label: 'garbage', authorization: 'Bearer not.a.jwt' },
    { label: 'basic credentials', authorization: 'Basic YWRtaW46YWRtaW4=' },
    { label: 'a token without the scheme', authorization: bearer.s1.slice('Bearer '.length) },
    { label: 'two tokens', authorization: `${bearer.s1} ${bearer.s1.slice('Bearer '.length)}` },
    {
      label: 'alg none',
      authorization: `Bearer ${segment({ alg: 'none', typ: 'JWT' })}.${segment({ ...claims, iss: issuer, aud: audience, exp: now + 3600 })}.`,
    },
    { label: 'a key the provider never had', authorization: `Bearer ${await sign(claims)}` },
    {
      label: "a stranger's key under the provider's key id",
      authorization: `Bearer ${await sign(claims, undefined, { alg: 'RS256', kid: providersKeyId })}`,
    },
    {
      label: 'HS256 keyed with a guess',
      authorization: `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: providersKeyId }).setIssuer(issuer).setAudience(audience).setExpirationTime('1h').sign(new TextEncoder().encode(audience))}`,
    },
    {
      label: 'expired',
      authorization: `Bearer ${await sign(claims, (jwt) => jwt.setIssuedAt(now - 7200).setExpirationTime(now - 60))}`,
    },
    {
      label: 'not yet valid',
      authorization: `Bearer ${await sign(claims, (jwt) => jwt.setNotBefore(now + 3600).setExpirationTime(now + 7200))}`,
    },
    {
      label: 'the wrong audience',
      authorization: `Bearer ${await sign(claims, (jwt) => jwt.setAudience('someone-else'))}`,
    },
    {
      label: 'the wrong issuer',
      authorization: `Bearer ${await sign(claims, (jwt) => jwt.setIssuer('https://evil.example'))}`,
    },
    {
      label: 'a tampered payload',
      authorization: `Bearer ${header}.${segment({ ...claims, exp: now + 3600 })}.${signature}`,
    },
    { label: 'a stripped signature', authorization: `Bearer ${header}.${payload}.` },
  );
};

// ---------------------------------------------------------------------------------------------------
// What the hostile-text tests do, and every other fuzz file does first: the world they attack

/**
 * C1 answers 2 with the XSS comment by form, C2 0 with a formula and C5 1 with markup by JSON; their
 * cases open (in `caseOf`). Returns the replies, for the hostile-text tests to look at.
 */
export const answerDetractors = async () => {
  const thanks = await answerViaApi(
    tokenOf('C1'),
    formOf([
      ['score', '2'],
      ['comment', xssComment],
      ['reasons', 'staff'],
    ]),
    { 'content-type': 'application/x-www-form-urlencoded' },
  );
  const others: Reply[] = [];
  for (const [customer, score, comment] of [
    ['C2', 0, attack.formula],
    ['C5', 1, `${attack.svg} slow`],
  ] as const) {
    others.push(
      await answerViaApi(tokenOf(customer), JSON.stringify({ score, comment }), {
        'content-type': 'application/json',
        accept: 'application/json',
      }),
    );
  }
  await world.stack.consumers.answerStream.drain();
  await world.stack.consumers.followUps.drain();
  const cases = createCaseRepository(world.stack.db, world.stack.env.CASES_TABLE ?? '');
  const surveys = createSurveyRepository(world.stack.db, world.stack.env.SURVEYS_TABLE ?? '');
  for (const customer of ['C1', 'C2', 'C5']) {
    const surveyId = (await surveys.get(surveyKeyOf(tokenOf(customer))))?.surveyId ?? '';
    expect(await cases.get(surveyId), customer).toBeDefined();
    caseOf.set(customer, surveyId);
  }
  return { thanks, others };
};

/** The tick a day after the cases fell due: digests and escalations, sent. */
export const tickPastDue = async () => {
  const later = new Date(`${addDays(new Date(), 31).toISOString().slice(0, 10)}T12:00:00.000Z`);
  const tick = await runTick(world.stack.schedule, later);
  await world.stack.consumers.followUps.drain();
  await world.stack.consumers.invitations.drain();
  return tick;
};

/** Marketing exports the detractors as CSV; the job (`world.exportJobId`) is run. */
export const startMarketingExport = async () => {
  const started = await send({
    method: 'POST',
    path: '/r/exports',
    headers: { authorization: bearer.marketing, 'content-type': 'application/json' },
    body: JSON.stringify({ segment: 'detractors', format: 'csv' }),
  });
  expect(started.status).toBe(202);
  world.exportJobId = (JSON.parse(started.body) as { jobId: string }).jobId;
  await world.stack.consumers.exports.drain();
};

/**
 * Starts this file's world before its tests and stops it after them. `detractors`: the hostile-text
 * steps run first (answers, cases, the tick past due, marketing's export), so the file attacks the
 * world the hostile-text tests leave behind; without it, those tests build it themselves.
 */
export const useFuzzWorld = (label: string, { detractors }: { detractors: boolean }) => {
  beforeAll(async () => {
    await setUp(label);
    if (detractors) {
      await answerDetractors();
      await tickPastDue();
      await startMarketingExport();
    }
  }, 240_000);

  afterAll(async () => {
    agent.destroy();
    await world.stack?.stop();
    await world.api?.stop();
  });
};
