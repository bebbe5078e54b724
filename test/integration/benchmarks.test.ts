import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../cli/commands/report';
import { recordsOf } from '../../cli/csv-files';
import { aggregateKeysOf, periodsOf } from '../../functions/domain/aggregates';
import { compareWithBenchmark } from '../../functions/domain/benchmarks';
import type { BenchmarkRecord } from '../../functions/schemas/benchmark';
import type { Report } from '../../functions/schemas/report';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importStores } from '../../functions/use-cases/import-stores';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { runCli } from '../support/local-stack';
import { signInAs } from '../support/staff';
import { syncStaffAccounts } from '../support/staff-bindings';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let stateFile: string;
let domain: string;
const today = new Date().toISOString().slice(0, 10);
const manager = () => `manager.s1@${domain}`;
const marketing = () => ({ email: `marketing@${domain}`, groups: ['marketing'] });
const admin = () => ({ email: `admin@${domain}`, groups: ['admin'] });
/** Lyon's counts today: 21 promoters, 9 passives, 6 detractors (NPS 41.7); Boston has none. */
const lyon = { promoters: 21, passives: 9, detractors: 6 };

const call = async (
  path: string,
  who: { email: string; groups?: string[] } | undefined,
  init: { method?: string; body?: unknown } = {},
) =>
  fetch(`${api.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(who && {
        authorization: `Bearer ${(await signInAs(who.email, { groups: who.groups ?? [] })).idToken}`,
      }),
    },
    ...(init.body !== undefined && {
      body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    }),
  });

const cli = (args: readonly string[]) => runCli(args, { stateFile });

beforeAll(async () => {
  stack = await startIsolatedStack('benchmarks');
  domain = `${stack.namespace}.example.com`;
  api = await startApiServer({ port: 0 });
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon Part-Dieu', manager(), '', 'Europe/Paris'],
      ['S2', 'Boston Back Bay', `manager.s2@${domain}`, '', 'America/New_York'],
    ]),
    { stores: stack.stores },
  );
  await syncStaffAccounts(stack.stores);
  // The aggregates as counting writes them (the store's and everyone's day and month): reports read only these.
  for (const { scope, period } of aggregateKeysOf('S1', periodsOf(`${today}T12:00:00.000Z`)))
    await stack.db.send(
      new PutCommand({
        TableName: stack.env.AGGREGATES_TABLE,
        Item: { scope, period, invited: 40, ...lyon },
      }),
    );
  stateFile = stack.writeCliState();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('the benchmarks API', () => {
  const industry = { name: 'Industry median', value: 10, date: '2026-06-30' };

  it('lets marketing put a benchmark (201, then 200 unchanged when repeated), list and delete it', async () => {
    const created = await call('/r/benchmarks/industry-median', marketing(), {
      method: 'PUT',
      body: industry,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      benchmarkId: 'industry-median',
      ...industry,
      outcome: 'created',
      updatedBy: marketing().email,
    });
    const again = await call('/r/benchmarks/industry-median', marketing(), { method: 'PUT', body: industry });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { outcome: string }).outcome).toBe('unchanged');
    const updated = await call('/r/benchmarks/industry-median', admin(), {
      method: 'PUT',
      body: { ...industry, sampleSize: 1000 },
    });
    expect(((await updated.json()) as { outcome: string }).outcome).toBe('updated');

    const listed = (await (await call('/r/benchmarks', marketing())).json()) as BenchmarkRecord[];
    expect(listed).toEqual([expect.objectContaining({ benchmarkId: 'industry-median', sampleSize: 1000 })]);

    expect((await call('/r/benchmarks/industry-median', marketing(), { method: 'DELETE' })).status).toBe(204);
    const gone = await call('/r/benchmarks/industry-median', marketing(), { method: 'DELETE' });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { message: string }).message).toBe(
      'There is no benchmark industry-median.',
    );
    expect(await (await call('/r/benchmarks', marketing())).json()).toEqual([]);
  });

  it('answers bad input with a 400 naming each problem', async () => {
    const bad = await call('/r/benchmarks/rival', marketing(), {
      method: 'PUT',
      body: { name: 'x'.repeat(101), value: -101, sampleSize: -3, date: '2026-06-31', storeId: 'S 1' },
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { message: string; issues: string[] };
    expect(body.message).toBe('The benchmark is not valid.');
    expect(body.issues).toEqual([
      'name: must be at most 100 characters',
      'value: must be from -100 to 100',
      'sampleSize: must be a positive whole number of responses',
      'date: is not a day of the calendar',
      'storeId: may only contain letters, digits and . _ : @ - /',
    ]);
    const malformed = await call('/r/benchmarks/rival', marketing(), { method: 'PUT', body: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(
      /^Send the benchmark as JSON, e\.g\. \{"name":"Industry median"/,
    );
    const badId = await call('/r/benchmarks/Rival_1', marketing(), { method: 'PUT', body: industry });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toMatch(
      /^The benchmark id "Rival_1" must be 1 to 64 lower-case letters/,
    );
    const noStore = await call('/r/benchmarks/rival', marketing(), {
      method: 'PUT',
      body: { ...industry, storeId: 'S9' },
    });
    expect(noStore.status).toBe(400);
    expect(((await noStore.json()) as { message: string }).message).toBe(
      'storeId: there is no store S9 in the registry.',
    );
    expect(await (await call('/r/benchmarks', marketing())).json()).toEqual([]);
  });

  it('refuses store managers (403), even with a bad body, and anyone not signed in (401)', async () => {
    const who = { email: manager() };
    for (const [path, init] of [
      ['/r/benchmarks', {}],
      ['/r/benchmarks/rival', { method: 'PUT', body: industry }],
      ['/r/benchmarks/rival', { method: 'PUT', body: '{' }],
      ['/r/benchmarks/rival', { method: 'DELETE' }],
    ] as const) {
      const response = await call(path, who, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(403);
      expect(((await response.json()) as { message: string }).message).toBe(
        'Only marketing and admins may see and change benchmarks.',
      );
    }
    expect((await call('/r/benchmarks', undefined)).status).toBe(401);
  });
});

describe('closeloop benchmarks and the report', () => {
  it('adds, lists and removes benchmarks from the CLI, and refuses bad input with exit code 2', async () => {
    const add = await cli([
      'benchmarks',
      'add',
      '--name',
      'Industry median',
      '--value',
      '10',
      '--date',
      '2026-06-30',
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe(
      'Added benchmark industry-median (Industry median, NPS 10 on 2026-06-30, chain).\n',
    );
    const rival = await cli([
      'benchmarks',
      'add',
      '--name',
      'Rival Lyon',
      '--value=-20',
      '--sample-size',
      '400',
      '--date',
      '2026-09-01',
      '--store',
      'S1',
      '--json',
    ]);
    expect(rival.code, rival.stderr).toBe(0);
    expect(JSON.parse(rival.stdout)).toMatchObject({
      benchmarkId: 'rival-lyon',
      value: -20,
      sampleSize: 400,
      storeId: 'S1',
      outcome: 'created',
    });

    const list = await cli(['benchmarks', 'list']);
    expect(list.stdout.split('\n').slice(0, 3)).toEqual([
      'ID               NAME             NPS  SAMPLE  DATE        FOR',
      'industry-median  Industry median  10   –       2026-06-30  chain',
      'rival-lyon       Rival Lyon       -20  400     2026-09-01  store S1',
    ]);
    // The API sees what the CLI wrote.
    expect(((await (await call('/r/benchmarks', marketing())).json()) as BenchmarkRecord[]).length).toBe(2);

    const bad = await cli(['benchmarks', 'add', '--name', 'Oops', '--value', 'high', '--date', '2026-06-31']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('value: must be a number from -100 to 100');
    expect(bad.stderr).toContain('date: is not a day of the calendar');
  });

  it('shows the gap and its significance in `report --json`, the API report and the text report', async () => {
    const run = await cli(['report', '--from', today, '--to', today, '--by', 'day', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const fromApi = (await (
      await call(`/r/report?from=${today}&to=${today}&by=day`, marketing())
    ).json()) as Report;
    expect(fromApi.benchmarks).toEqual(report.benchmarks);

    const [industry, rival] = report.benchmarks;
    // 41.7 against a fixed 10: z = 2.33, significant; Boston has no responses.
    expect(industry).toMatchObject({ benchmarkId: 'industry-median', test: 'fixed-value', storeId: null });
    expect(industry?.gap).toEqual(compareWithBenchmark(lyon, { value: 10 }));
    expect(industry?.gap?.significant).toBe(true);
    expect(industry?.stores.map((store) => [store.storeId, store.gap?.significant ?? null])).toEqual([
      ['S1', true],
      ['S2', null],
    ]);
    expect(rival).toMatchObject({ benchmarkId: 'rival-lyon', test: 'two-sample', storeId: 'S1', stores: [] });
    expect(rival?.gap).toEqual(compareWithBenchmark(lyon, { value: -20, sampleSize: 400 }));

    // What `closeloop report` prints of it (the same formatter, without another process).
    const text = formatReport(report);
    expect(text).toMatch(/^Industry median +10 +fixed +2026-06-30 +all +\+31\.7 ▲ +\+31\.7 ▲ +–$/m);
    expect(text).toMatch(/^Rival Lyon +-20 +400 +2026-09-01 +S1 +\+61\.7 ▲/m);

    // A store manager's report compares their store with the chain-wide benchmark and their store's own.
    const mine = (await (
      await call(`/r/report?from=${today}&to=${today}&by=day`, { email: manager() })
    ).json()) as Report;
    expect(mine.benchmarks.map((benchmark) => benchmark.benchmarkId)).toEqual([
      'industry-median',
      'rival-lyon',
    ]);

    const removed = await cli(['benchmarks', 'remove', 'rival-lyon']);
    expect(removed.stdout).toBe('Removed benchmark rival-lyon.\n');
    expect(
      ((await (await call('/r/benchmarks', marketing())).json()) as BenchmarkRecord[]).map(
        (benchmark) => benchmark.benchmarkId,
      ),
    ).toEqual(['industry-median']);
  });
});
