import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createIntegrationDirectory } from '../../functions/adapters/integration-directory';
import type { CustomerSyncResult } from '../../functions/schemas/customer-sync';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importStores } from '../../functions/use-cases/import-stores';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { runCli, scanByPrefix } from '../support/local-stack';
import { cognitoOfProvider } from '../support/staff';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let ns: string;

interface Client {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenUrl: string;
}
const clients: Record<'writer' | 'eraser', Client> = {} as never;

const directory = () => createIntegrationDirectory(cognitoOfProvider(), 'local');

/** `closeloop integrations add`, as an operator runs it. */
const addIntegration = async (name: string, scopes: string): Promise<Client> => {
  const run = await runCli(['integrations', 'add', name, '--scopes', scopes, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Client;
};

/** An access token by the client credentials grant, as an integration asks Cognito's token endpoint. */
const tokenResponse = (client: Client, scope?: string) =>
  fetch(client.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope && { scope }) }),
  });

const tokenOf = async (client: Client, scope?: string) => {
  const response = await tokenResponse(client, scope);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string; token_type: string };
  expect(body.token_type).toBe('Bearer');
  return body.access_token;
};

const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
  fetch(`${api.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

/**
 * Customers synced in calls of 500 (1,000 by default: DynamoDB Local runs about 60 transactions a
 * second here, one per new customer; `SYNC_TEST_CUSTOMERS=3000` for more), about one in twenty bad in
 * one of eight ways, with the error each bad row must get.
 */
const total = Number(process.env.SYNC_TEST_CUSTOMERS ?? 1_000);
const buildRows = () => {
  const rows: unknown[] = [];
  const expected = new Map<number, { field?: string; code: string }>();
  for (let index = 0; index < total; index++) {
    const id = `${ns}-c${index}`;
    const good = {
      customerId: id,
      email: `${id}@example.com`,
      firstName: `First ${index}`,
      storeId: index % 2 === 0 ? 'S1' : 'S2',
      locale: 'fr',
      attributes: { tier: index % 3 === 0 ? 'gold' : 'silver' },
    };
    const bad = index % 20 === 7 ? Math.floor(index / 20) % 8 : undefined;
    const inBatch = index % 500;
    switch (bad) {
      case 0:
        rows.push({ ...good, email: 'not-an-address' });
        expected.set(index, { field: 'email', code: 'invalid' });
        break;
      case 1:
        rows.push({ ...good, storeId: 'S9' });
        expected.set(index, { field: 'storeId', code: 'unknown_store' });
        break;
      case 2: {
        const { storeId: _, ...withoutStore } = good;
        rows.push(withoutStore);
        expected.set(index, { field: 'storeId', code: 'invalid' });
        break;
      }
      case 3:
        // The same id as the row before it, in the same call.
        rows.push({ ...good, customerId: `${ns}-c${index - 1}` });
        expected.set(index, { field: 'customerId', code: 'duplicate' });
        break;
      case 4:
        // The address of the row before it, in the same call.
        rows.push({ ...good, email: `${ns}-c${index - 1}@example.com` });
        expected.set(index, { field: 'email', code: 'duplicate' });
        break;
      case 5:
        // The address of a customer synced by an earlier call (in the first call, of the row before).
        rows.push({ ...good, email: `${ns}-c${inBatch === index ? index - 1 : index - 501}@example.com` });
        expected.set(index, { field: 'email', code: inBatch === index ? 'duplicate' : 'email_taken' });
        break;
      case 6:
        rows.push({ ...good, locale: 'not a locale!' });
        expected.set(index, { field: 'locale', code: 'invalid' });
        break;
      case 7:
        rows.push({ ...good, emial: 'typo@example.com' });
        expected.set(index, { field: 'emial', code: 'invalid' });
        break;
      default:
        rows.push(good);
    }
  }
  return { rows, expected };
};

beforeAll(async () => {
  stack = await startIsolatedStack('customer-sync');
  ns = stack.namespace;
  api = await startApiServer({ port: 0 });
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon', 'm1@example.com', 'r@example.com', 'Europe/Paris'],
      ['S2', 'Madrid', 'm2@example.com', 'r@example.com', 'Europe/Madrid'],
    ]),
    { stores: stack.stores },
  );
  clients.writer = await addIntegration(`${ns}-writer`, 'customers.write');
  // The second through the Cognito API the CLI calls (a CLI run costs seconds of start-up).
  const eraser = await directory().add(`${ns}-eraser`, ['customers.erase']);
  clients.eraser = {
    clientId: eraser.clientId,
    clientSecret: eraser.clientSecret ?? '',
    tokenUrl: clients.writer.tokenUrl,
  };
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await stack?.stop();
});

describe('access', () => {
  it('answers 401 without a valid token and 403 without the route’s scope', async () => {
    const writer = await tokenOf(clients.writer, 'closeloop/customers.write');
    const eraser = await tokenOf(clients.eraser);
    const customer = { email: 'a@example.com', storeId: 'S1' };
    expect((await call('PUT', `/api/customers/${ns}-x`, undefined, customer)).status).toBe(401);
    expect((await call('PUT', `/api/customers/${ns}-x`, 'not.a.jwt', customer)).status).toBe(401);
    expect((await call('POST', '/api/customers/batch', `${writer}x`, { customers: [] })).status).toBe(401);
    expect((await call('PUT', `/api/customers/${ns}-x`, eraser, customer)).status).toBe(403);
    expect((await call('POST', '/api/customers/batch', eraser, { customers: [] })).status).toBe(403);
    expect((await call('DELETE', `/api/customers/${ns}-x`, writer)).status).toBe(403);
    expect((await call('POST', '/api/customers/erasures', writer, { customerIds: [] })).status).toBe(403);
  });

  it('grants only the client’s scopes: another is an invalid_scope; none asked means all of its own', async () => {
    const refused = await tokenResponse(clients.writer, 'closeloop/customers.erase');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_scope' });
    const token = await tokenOf(clients.writer);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      client_id: clients.writer.clientId,
      sub: clients.writer.clientId,
      scope: 'closeloop/customers.write',
      token_use: 'access',
    });
    const wrongSecret = await tokenResponse({ ...clients.writer, clientSecret: 'guess' });
    expect(wrongSecret.status).toBe(401);
  });
});

describe('POST /api/customers/batch', () => {
  it('syncs customers in calls of 500: good rows stored, each bad row refused with its index, field and reason; a replay changes nothing', async () => {
    const token = await tokenOf(clients.writer);
    const { rows, expected } = buildRows();
    const syncAll = async () => {
      const results: CustomerSyncResult[] = [];
      for (let start = 0; start < total; start += 500) {
        const response = await call('POST', '/api/customers/batch', token, {
          customers: rows.slice(start, start + 500),
        });
        expect(response.status).toBe(200);
        results.push((await response.json()) as CustomerSyncResult);
      }
      return results;
    };
    const first = await syncAll();
    const errorsOf = (results: CustomerSyncResult[]) =>
      results.flatMap((result, call) =>
        result.errors.map((error) => ({ ...error, index: error.index + call * 500 })),
      );
    const errors = errorsOf(first);
    const rejected = new Set(errors.map((error) => error.index));
    expect([...rejected].sort((a, b) => a - b)).toEqual([...expected.keys()]);
    for (const [index, want] of expected) {
      const found = errors.filter((error) => error.index === index);
      expect(found.length, `row ${index}`).toBeGreaterThan(0);
      expect(found[0], `row ${index}`).toMatchObject({
        code: want.code,
        ...(want.field && { field: want.field }),
      });
      expect(found[0]?.message, `row ${index}`).not.toBe('');
    }
    const sum = (results: CustomerSyncResult[], key: keyof CustomerSyncResult['summary']) =>
      results.reduce((total, result) => total + result.summary[key], 0);
    const good = total - expected.size;
    expect(sum(first, 'created')).toBe(good);
    expect(sum(first, 'rejected')).toBe(expected.size);

    const stored = await scanByPrefix(stack.env.CUSTOMERS_TABLE ?? '', 'customerId', `${ns}-c`, stack.db);
    expect(stored).toHaveLength(good);
    const one = stored.find((item) => item.customerId === `${ns}-c0`);
    expect(one).toMatchObject({
      email: `${ns}-c0@example.com`,
      firstName: 'First 0',
      storeId: 'S1',
      locale: 'fr',
      attributes: { tier: 'gold' },
      contactStatus: 'subscribed',
    });
    const claims = await scanByPrefix(stack.env.CUSTOMER_EMAILS_TABLE ?? '', 'email', `${ns}-c`, stack.db);
    expect(claims).toHaveLength(good);

    const replay = await syncAll();
    expect(sum(replay, 'created') + sum(replay, 'updated')).toBe(0);
    expect(sum(replay, 'unchanged')).toBe(good);
    expect(errorsOf(replay)).toEqual(errors);
    expect(
      await scanByPrefix(stack.env.CUSTOMERS_TABLE ?? '', 'customerId', `${ns}-c`, stack.db),
    ).toHaveLength(good);
  });

  it('refuses more than 500 customers whole (413) and a body that is not JSON (400)', async () => {
    const token = await tokenOf(clients.writer);
    const tooMany = Array.from({ length: 501 }, (_, index) => ({
      customerId: `${ns}-big${index}`,
      email: `${ns}-big${index}@example.com`,
      storeId: 'S1',
    }));
    const large = await call('POST', '/api/customers/batch', token, { customers: tooMany });
    expect(large.status).toBe(413);
    expect(((await large.json()) as { message: string }).message).toMatch(/at most 500 .* has 501/);
    expect(
      await scanByPrefix(stack.env.CUSTOMERS_TABLE ?? '', 'customerId', `${ns}-big`, stack.db),
    ).toHaveLength(0);
    const garbled = await call('POST', '/api/customers/batch', token, '{"customers": [');
    expect(garbled.status).toBe(400);
    const shapeless = await call('POST', '/api/customers/batch', token, { rows: [] });
    expect(shapeless.status).toBe(400);
  });
});

describe('PUT /api/customers/{customerId}', () => {
  it('creates (201), updates (200), leaves unchanged (200), and refuses a bad field (400) or a taken address (409)', async () => {
    const token = await tokenOf(clients.writer);
    const path = `/api/customers/${ns}-one`;
    const body = { email: `${ns}-one@example.com`, storeId: 'S1', firstName: 'Ana' };
    const created = await call('PUT', path, token, body);
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ customerId: `${ns}-one`, outcome: 'created' });
    const again = await call('PUT', path, token, body);
    expect(await again.json()).toMatchObject({ outcome: 'unchanged' });
    const updated = await call('PUT', path, token, {
      ...body,
      firstName: 'Ana María',
      email: `${ns}-ana@example.com`,
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ outcome: 'updated' });
    expect(await stack.customers.emailOwner(`${ns}-one@example.com`)).toBeUndefined();

    const bad = await call('PUT', path, token, { ...body, email: 'nope', phone: 'call me' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'validation_failed',
      errors: [
        {
          index: 0,
          customerId: `${ns}-one`,
          field: 'email',
          code: 'invalid',
          message: 'must be a valid e-mail address',
        },
        { index: 0, field: 'phone', code: 'invalid' },
      ],
    });
    const taken = await call('PUT', `/api/customers/${ns}-two`, token, {
      ...body,
      email: `${ns}-ana@example.com`,
    });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({
      error: 'email_taken',
      message: `e-mail ${ns}-ana@example.com already belongs to customer ${ns}-one`,
    });
    const mismatch = await call('PUT', path, token, { ...body, customerId: `${ns}-other` });
    expect(mismatch.status).toBe(400);
  });
});

describe('erasure', () => {
  it('erases one customer (DELETE) and a batch (POST /erasures): records and address claims gone, a repeat is harmless', async () => {
    const writer = await tokenOf(clients.writer);
    const eraser = await tokenOf(clients.eraser);
    const ids = [0, 1, 2, 3].map((n) => `${ns}-e${n}`);
    const synced = await call('POST', '/api/customers/batch', writer, {
      customers: ids.map((customerId) => ({ customerId, email: `${customerId}@example.com`, storeId: 'S2' })),
    });
    expect(((await synced.json()) as CustomerSyncResult).summary.created).toBe(4);

    const one = await call('DELETE', `/api/customers/${ids[0]}`, eraser);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ customerId: ids[0], status: 'erased' });
    expect(await stack.customers.get(ids[0] ?? '')).toBeUndefined();
    expect(await stack.customers.emailOwner(`${ids[0]}@example.com`)).toBeUndefined();
    expect((await call('DELETE', `/api/customers/${ids[0]}`, eraser)).status).toBe(200);

    const batch = await call('POST', '/api/customers/erasures', eraser, { customerIds: ids.slice(1) });
    expect(batch.status).toBe(200);
    expect(await batch.json()).toMatchObject({
      summary: { erased: 3, pending: 0 },
      results: ids.slice(1).map((customerId) => ({ customerId, status: 'erased' })),
    });
    expect(
      await scanByPrefix(stack.env.CUSTOMERS_TABLE ?? '', 'customerId', `${ns}-e`, stack.db),
    ).toHaveLength(0);
    // The address is free again: the customer can come back as new.
    const back = await call('PUT', `/api/customers/${ids[1]}`, writer, {
      email: `${ids[1]}@example.com`,
      storeId: 'S2',
    });
    expect(back.status).toBe(201);
  });
});

describe('closeloop integrations', () => {
  it('lists the clients with their scopes, shows the secret on request, and removes one (no more tokens)', async () => {
    const listed = await runCli(['integrations', 'list', '--json']);
    expect(listed.code).toBe(0);
    const integrations = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; scopes: string[]; clientSecret?: string });
    expect(integrations.find((item) => item.name === `${ns}-eraser`)).toMatchObject({
      scopes: ['closeloop/customers.erase'],
    });
    expect(integrations.every((item) => item.clientSecret === undefined)).toBe(true);
    expect(await directory().find(`${ns}-eraser`, true)).toMatchObject({
      clientSecret: clients.eraser.clientSecret,
    });

    const removed = await runCli(['integrations', 'remove', `${ns}-eraser`]);
    expect(removed.code).toBe(0);
    expect((await tokenResponse(clients.eraser)).status).toBe(401);
  });
});
