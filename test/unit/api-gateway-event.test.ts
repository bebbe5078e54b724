import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/resources/routes';
import { toApiGatewayEvent } from '../../local/api-server';

const route = { route: routes[0], pattern: /^\/health$/, parameterNames: [] };
const requestFor = (url: string, headers: Record<string, string> = {}) =>
  ({
    url,
    method: 'GET',
    httpVersion: '1.1',
    headers,
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;

describe('toApiGatewayEvent', () => {
  it('passes query parameters named like Object.prototype members as they were sent', () => {
    const event = toApiGatewayEvent(
      requestFor('/health?constructor=x&toString=y&__proto__=z&a=1&a=2'),
      Buffer.alloc(0),
      route,
      ['/health'],
    );
    expect(Object.hasOwn(event.queryStringParameters ?? {}, '__proto__')).toBe(true);
    expect({ ...event.queryStringParameters }).toEqual(
      JSON.parse('{"constructor":"x","toString":"y","__proto__":"z","a":"1,2"}'),
    );
  });

  it('hands over a body as text whatever the case of its media type, and a binary one base64-encoded', () => {
    const body = Buffer.from('{"segment":"promoters"}');
    const json = toApiGatewayEvent(
      requestFor('/health', { 'content-type': 'Application/JSON' }),
      body,
      route,
      ['/health'],
    );
    expect(json).toMatchObject({ body: '{"segment":"promoters"}', isBase64Encoded: false });
    const binary = toApiGatewayEvent(
      requestFor('/health', { 'content-type': 'application/octet-stream' }),
      body,
      route,
      ['/health'],
    );
    expect(binary).toMatchObject({ body: body.toString('base64'), isBase64Encoded: true });
  });

  it('reads a path starting with // as a path', () => {
    const event = toApiGatewayEvent(requestFor('//health?a=1'), Buffer.alloc(0), route, ['//health']);
    expect(event.rawPath).toBe('//health');
    expect(event.rawQueryString).toBe('a=1');
  });
});
