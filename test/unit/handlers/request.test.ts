import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { PayloadTooLargeError, ValidationError } from '../../../functions/domain/errors';
import { bodyText, contentTypeOf, jsonBody } from '../../../functions/shared/request';

const Update = z.object({ status: z.enum(['contacted', 'resolved']) });
const request = (body?: string, headers: Record<string, string> = {}, isBase64Encoded = false) => ({
  body,
  headers,
  isBase64Encoded,
});

describe('jsonBody', () => {
  it('returns the body checked against its contract', () => {
    expect(
      jsonBody(request('{"status":"contacted"}'), Update, { what: 'The update', example: '{}' }),
    ).toEqual({
      status: 'contacted',
    });
  });

  it('answers malformed JSON with a 400 that shows a good body', () => {
    const parse = () =>
      jsonBody(request('{status'), Update, { what: 'The update', example: '{"status":"resolved"}' });
    expect(parse).toThrow(ValidationError);
    expect(parse).toThrow('Send the update as JSON, e.g. {"status":"resolved"}');
  });

  it('answers a body that breaks the contract with a 400 naming each problem', () => {
    try {
      jsonBody(request('{"status":"lost"}'), Update, { what: 'The update', example: '{}' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toBe('The update is not valid.');
      expect((error as ValidationError).issues).toEqual([expect.stringMatching(/^status: /)]);
    }
  });
});

describe('bodyText', () => {
  it('decodes a base64 body and refuses one over the limit with a 413', () => {
    expect(bodyText(request(Buffer.from('score=3').toString('base64'), {}, true))).toBe('score=3');
    expect(() => bodyText(request('x'.repeat(17), {}), 16)).toThrow(PayloadTooLargeError);
  });
});

describe('contentTypeOf', () => {
  it('gives the media type without its parameters', () => {
    expect(contentTypeOf(request('', { 'content-type': 'Application/JSON; charset=utf-8' }))).toBe(
      'application/json',
    );
  });
});
