import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../local/api-server';
import { localEnv } from '../support/local-stack';

let api: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  Object.assign(process.env, localEnv());
  api = await startApiServer({ port: 0 });
});

afterAll(() => api.stop());

describe('local API server', () => {
  it('invokes the deployed handler for a declared route', async () => {
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ status: 'ok', service: 'closeloop' });
  });

  it('answers 404 for a path no route declares', async () => {
    const response = await fetch(`${api.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 405 for a declared path with another method', async () => {
    const response = await fetch(`${api.url}/health`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
  });
});
