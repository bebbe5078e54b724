import { request } from 'node:http';
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

  /** A raw request: the path exactly as given, any method. */
  const raw = (method: string, path: string, body?: Buffer) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { port } = new URL(api.url);
      const sent = request({ host: '127.0.0.1', port, method, path }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      });
      sent.on('error', reject);
      sent.end(body);
    });

  it('answers 400 for a path whose escapes do not decode, as API Gateway does', async () => {
    const response = await raw('GET', '/s/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message: 'Bad Request' });
  });

  it('takes a path starting with // as a path, not a host', async () => {
    expect((await raw('GET', '//')).status).toBe(404);
    expect((await raw('GET', '//health')).status).toBe(404);
  });

  it('answers 413 for a body over 10 MB, before routing it', async () => {
    const response = await raw('POST', '/s/x', Buffer.alloc(10 * 1024 * 1024 + 1, 'a'));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ message: 'Request Too Large' });
  });

  it('says what is wrong with a request its HTTP parser refuses', async () => {
    const response = await raw('FOO', '/health');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message: 'Bad Request' });
  });
});
