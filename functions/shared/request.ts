import type * as z from 'zod/mini';
import { PayloadTooLargeError, ValidationError } from '../domain/errors';
import { describeIssues } from '../schemas/common';

interface RequestWithBody {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** The request body as text (API Gateway may pass it base64-encoded); too large a body is a 413. */
export const bodyText = (event: RequestWithBody, maxBytes = 16 * 1024): string => {
  const raw =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  if (Buffer.byteLength(raw) > maxBytes)
    throw new PayloadTooLargeError(`The request body is larger than ${maxBytes} bytes.`);
  return raw;
};

/** The media type of the request body, lower-cased and without its parameters. */
export const contentTypeOf = (event: RequestWithBody) =>
  (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Checks fields against a contract: a 400 naming each problem (`what` is not valid) otherwise. */
export const validated = <Schema extends z.ZodMiniType>(schema: Schema, fields: unknown, what: string) => {
  const parsed = schema.safeParse(fields);
  if (!parsed.success)
    throw new ValidationError(`${what} is not valid.`, describeIssues(parsed.error.issues));
  return parsed.data as z.infer<Schema>;
};

/** `text` parsed as JSON; malformed JSON is a 400 that says `problem`. */
export const parsedJson = (text: string, problem: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(problem);
  }
};

/**
 * A JSON body checked against its contract. Malformed JSON is a 400 that shows an `example` of a
 * good body, and so is a body of a binary media type (API Gateway passes it base64-encoded: not
 * JSON); a body that breaks the contract is a 400 naming each problem.
 */
export const jsonBody = <Schema extends z.ZodMiniType>(
  event: RequestWithBody,
  schema: Schema,
  { what, example }: { what: string; example: string },
) =>
  validated(
    schema,
    parsedJson(event.body ?? '', `Send ${what.toLowerCase()} as JSON, e.g. ${example}`),
    what,
  );

/**
 * A body posted by a page's form (`application/x-www-form-urlencoded`, read by `fieldsOfForm`) or by
 * its script or an API client (JSON), checked against its contract; anything else is a 400 saying why.
 * `what` names it in messages (`The answer`).
 */
export const formOrJsonBody = <Schema extends z.ZodMiniType>(
  event: RequestWithBody,
  schema: Schema,
  fieldsOfForm: (form: URLSearchParams) => unknown,
  what: string,
) => {
  const raw = bodyText(event);
  const type = contentTypeOf(event);
  if (type === 'application/json')
    return validated(schema, parsedJson(raw, 'The request body is not valid JSON.'), what);
  if (type === 'application/x-www-form-urlencoded')
    return validated(schema, fieldsOfForm(new URLSearchParams(raw)), what);
  throw new ValidationError(
    `Send ${what.replace(/^The /, 'the ')} as application/x-www-form-urlencoded or application/json.`,
  );
};
