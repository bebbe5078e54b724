import { readFileSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomerRepository } from '../../functions/adapters/customer-repository';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import {
  csvFile,
  documentClient,
  eventually,
  runCli,
  scanByPrefix,
  tableNames,
  uniquePrefix,
} from '../support/local-stack';

const header = [...customerCsvColumns, 'tier'];
const run = uniquePrefix('reg');
const storeA = `${run}-S1`;
const storeB = `${run}-S2`;
const id = (n: number | string) => `${run}-C${n}`;
const mail = (n: number | string) => `c${n}.${run}@example.com`;
const customer = (n: number, overrides: Partial<Record<(typeof header)[number], string>> = {}) => {
  const row = {
    customerId: id(n),
    email: mail(n),
    firstName: `First${n}`,
    lastName: `Last${n}`,
    storeId: storeA,
    locale: 'en',
    tier: 'gold',
    ...overrides,
  };
  return header.map((column) => row[column as keyof typeof row]);
};

const customers = () => createCustomerRepository(documentClient(), tableNames());

beforeAll(async () => {
  const stores = csvFile('stores.csv', [
    [...storeCsvColumns],
    [storeA, 'Lyon 1', 'Manager.Lyon@Stores.example.com', 'region@stores.example.com', 'Europe/Paris'],
    [storeB, 'Boston 1', 'manager.boston@stores.example.com', '', 'America/New_York'],
  ]);
  const result = await runCli(['import-stores', stores]);
  expect(result.stdout).toContain('2 created');
  expect(result.code).toBe(0);
});

describe('closeloop import-stores', () => {
  it('stores normalised manager e-mails and the time zone', async () => {
    const store = await createStoreRepository(documentClient(), tableNames().stores).get(storeA);
    expect(store).toMatchObject({
      managerEmail: 'manager.lyon@stores.example.com',
      timezone: 'Europe/Paris',
    });
  });

  it('--json prints the summary as one JSON object on stdout', async () => {
    const stores = csvFile('stores-again.csv', [
      [...storeCsvColumns],
      [storeA, 'Lyon 1', 'manager.lyon@stores.example.com', 'region@stores.example.com', 'Europe/Paris'],
    ]);
    const result = await runCli(['import-stores', stores, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toEqual({
      file: stores,
      encoding: 'utf-8',
      delimiter: ',',
      read: 1,
      created: 0,
      updated: expect.any(Number),
      unchanged: expect.any(Number),
      rejected: 0,
      rejectsFile: null,
      seconds: expect.any(Number),
    });
    expect(Number(summary.updated) + Number(summary.unchanged)).toBe(1);
  });
});

describe('closeloop import-customers', () => {
  it('reports each bad row with its line and reason, and imports every good row', async () => {
    const file = csvFile('customers.csv', [
      header,
      customer(1), // line 2
      customer(2, { email: '' }), // line 3: missing e-mail
      customer(3, { email: 'not-an-address' }), // line 4: invalid e-mail
      customer(4, { storeId: 'NOWHERE' }), // line 5: unknown store
      customer(1, { email: mail('1b') }), // line 6: duplicate id
      customer(6, { email: ` ${mail(1).toUpperCase()} ` }), // line 7: duplicate e-mail after normalisation
      customer(7, { locale: 'fr-ca', storeId: storeB }), // line 8
    ]);
    const result = await runCli(['import-customers', file]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 3: email: is required');
    expect(result.stderr).toContain('line 4: email: must be a valid e-mail address');
    expect(result.stderr).toContain(`line 5 (${id(4)}): unknown storeId NOWHERE`);
    expect(result.stderr).toContain(
      `line 6 (${id(1)}): duplicate customerId ${id(1)} (first seen on line 2)`,
    );
    expect(result.stderr).toContain(
      `line 7 (${id(6)}): duplicate e-mail ${mail(1)} (already used by ${id(1)} on line 2)`,
    );
    expect(result.stdout).toContain('7 rows read');
    expect(result.stdout).toContain('2 created, 0 updated, 0 unchanged, 5 rejected');

    const rejects = readFileSync(`${file}.rejected.csv`, 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('line,key,reason');
    expect(rejects.slice(1).map((line) => line.split(',')[0])).toEqual(['3', '4', '5', '6', '7']);

    const stored = await customers().getMany([id(1), id(7), id(2), id(6)]);
    expect([...stored.keys()].sort()).toEqual([id(1), id(7)]);
    expect(stored.get(id(7))).toMatchObject({
      locale: 'fr-CA',
      storeId: storeB,
      contactStatus: 'subscribed',
      attributes: { tier: 'gold' },
    });
    expect(await customers().emailOwner(mail(1))).toBe(id(1));
  });

  it('refuses a file with a wrong header and imports nothing', async () => {
    const file = csvFile('wrong-header.csv', [
      ['customerId', 'mail', 'firstName', 'lastName', 'storeId', 'locale'],
      ['x', mail('wh'), 'A', 'B', storeA, 'en'],
    ]);
    const result = await runCli(['import-customers', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing column(s): email');
    expect(result.stderr).toContain('Nothing was imported.');
    expect(await customers().emailOwner(mail('wh'))).toBeUndefined();
  });

  it('updates on re-import without duplicating, and never resets what the pipeline owns', async () => {
    const rows = [header, customer(10), customer(11)];
    expect((await runCli(['import-customers', csvFile('a.csv', rows)])).stdout).toContain('2 created');

    // The customer unsubscribes between two imports.
    await documentClient().send(
      new UpdateCommand({
        TableName: tableNames().customers,
        Key: { customerId: id(10) },
        UpdateExpression: 'SET contactStatus = :status',
        ExpressionAttributeValues: { ':status': 'unsubscribed' },
      }),
    );
    const again = await runCli([
      'import-customers',
      csvFile('b.csv', [header, customer(10, { lastName: 'Renamed' }), customer(11)]),
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 created, 1 updated, 1 unchanged, 0 rejected');

    const stored = await customers().get(id(10));
    expect(stored).toMatchObject({ lastName: 'Renamed', contactStatus: 'unsubscribed' });
    expect(await scanByPrefix(tableNames().customers, 'customerId', id(1))).toHaveLength(
      [id(1), id(10), id(11)].length,
    );
  });

  it('moves a changed e-mail address and frees the old one for another customer', async () => {
    await runCli(['import-customers', csvFile('c.csv', [header, customer(20)])]);
    const moved = await runCli([
      'import-customers',
      csvFile('d.csv', [header, customer(20, { email: mail('20new') })]),
    ]);
    expect(moved.stdout).toContain('1 updated');
    expect(await customers().emailOwner(mail('20new'))).toBe(id(20));
    expect(await customers().emailOwner(mail(20))).toBeUndefined();

    const reused = await runCli([
      'import-customers',
      csvFile('e.csv', [header, customer(21, { email: mail(20) })]),
    ]);
    expect(reused.code).toBe(0);
    expect(await customers().emailOwner(mail(20))).toBe(id(21));
  });

  it('rejects an e-mail that another customer already holds in the registry, naming that customer', async () => {
    await runCli(['import-customers', csvFile('f.csv', [header, customer(30)])]);
    const clash = await runCli([
      'import-customers',
      csvFile('g.csv', [header, customer(31, { email: mail(30) })]),
    ]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(
      `line 2 (${id(31)}): e-mail ${mail(30)} already belongs to customer ${id(30)}`,
    );
    expect(await customers().get(id(31))).toBeUndefined();
  });

  it('finishes an import that was killed half-way when it is simply run again', async () => {
    const prefix = `${run}-K`;
    const rows = [
      header,
      ...Array.from({ length: 1500 }, (_, n) =>
        customer(n, { customerId: `${prefix}${n}`, email: `${prefix}${n}@example.com`.toLowerCase() }),
      ),
    ];
    const file = csvFile('big.csv', rows);

    let pid = 0;
    const interrupted = runCli(['import-customers', file], { onSpawn: (spawned) => (pid = spawned) });
    await eventually(async () => (await customers().get(`${prefix}300`)) !== undefined, 60_000);
    process.kill(pid, 'SIGKILL');
    await interrupted;
    const partial = await scanByPrefix(tableNames().customers, 'customerId', prefix);
    expect(partial.length).toBeLessThan(1500);

    const rerun = await runCli(['import-customers', file]);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/1500 rows read .*0 rejected/);
    expect(await scanByPrefix(tableNames().customers, 'customerId', prefix)).toHaveLength(1500);
    expect(await scanByPrefix(tableNames().customerEmails, 'email', prefix.toLowerCase())).toHaveLength(1500);
  });
});
