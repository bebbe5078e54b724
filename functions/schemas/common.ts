import * as z from 'zod/mini';
import { canonicalLocale, isKnownTimeZone } from '../domain/contact';
import { languages } from '../domain/languages';
import { looksLikePhoneNumber } from '../domain/phone';
import { singleLine } from '../domain/text';

const trimmed = () => z.string().check(z.trim());

/** A required text field: trimmed, not empty, at most `max` characters. */
export const requiredText = (max: number) =>
  trimmed().check(z.minLength(1, 'is required'), z.maxLength(max, `must be at most ${max} characters`));

const emptyAsUndefined = z.transform((value: string) => (value === '' ? undefined : value));

/** An optional text field: trimmed; absent or empty means undefined. */
export const optionalText = (max: number) =>
  z.optional(
    z.pipe(trimmed().check(z.maxLength(max, `must be at most ${max} characters`)), emptyAsUndefined),
  );

/**
 * A name that may go into an e-mail subject (a store's, a customer's): one line (`singleLine`), not
 * empty, at most `max` characters.
 */
export const requiredName = (max: number) =>
  z
    .string()
    .check(
      z.overwrite(singleLine),
      z.minLength(1, 'is required'),
      z.maxLength(max, `must be at most ${max} characters`),
    );

/** An optional name (see `requiredName`): absent, empty or blank means undefined. */
export const optionalName = (max: number) =>
  z.optional(
    z.pipe(
      z.string().check(z.overwrite(singleLine), z.maxLength(max, `must be at most ${max} characters`)),
      emptyAsUndefined,
    ),
  );

/** Identifiers from the business's own systems: no spaces or control characters. */
export const identifier = () =>
  requiredText(128).check(
    z.regex(/^[\p{L}\p{N}._:@\-/]+$/u, 'may only contain letters, digits and . _ : @ - /'),
  );

/** An e-mail address, normalised (trimmed, lower-cased) before it is validated. */
export const email = () =>
  z.pipe(
    trimmed().check(z.toLowerCase(), z.minLength(1, 'is required')),
    z.email({ error: 'must be a valid e-mail address' }),
  );

/** An optional e-mail address: absent or empty means undefined, anything else must be valid. */
export const optionalEmail = () =>
  z.optional(z.pipe(z.pipe(trimmed(), emptyAsUndefined), z.optional(email())));

/**
 * An optional phone number (`looksLikePhoneNumber`): absent or blank means undefined; runs of
 * spaces become one.
 */
export const optionalPhone = () =>
  z.optional(
    z.pipe(
      z.pipe(trimmed(), emptyAsUndefined),
      z.optional(
        z.string().check(
          z.overwrite((phone) => phone.replace(/\s+/g, ' ')),
          z.refine(looksLikePhoneNumber, {
            error:
              'must be a phone number: digits with spaces, dots, hyphens or parentheses, + in front (e.g. +33 6 12 34 56 78)',
          }),
        ),
      ),
    ),
  );

/** An optional language closeloop writes in (`en`, `fr`, `es`): absent or blank means undefined. */
export const optionalLanguage = () =>
  z.optional(
    z.pipe(
      z.pipe(trimmed().check(z.toLowerCase()), emptyAsUndefined),
      z.optional(z.enum(languages, { error: `must be one of ${languages.join(', ')}` })),
    ),
  );

/** A BCP 47 locale tag, canonicalised (`en-gb` becomes `en-GB`); empty means `en`. */
export const locale = () =>
  z.pipe(
    trimmed(),
    z.transform((tag, ctx) => {
      if (tag === '') return 'en';
      const canonical = canonicalLocale(tag);
      if (canonical === undefined) {
        ctx.issues.push({
          code: 'custom',
          input: tag,
          message: `"${tag}" is not a valid locale tag (e.g. en, fr-CA)`,
        });
        return z.NEVER;
      }
      return canonical;
    }),
  );

/** An IANA time zone name such as `Europe/Paris`. */
export const timeZone = () =>
  trimmed().check(z.refine(isKnownTimeZone, { error: 'must be an IANA time zone such as Europe/Paris' }));

const timestamp = z.iso.datetime({ offset: true });

/** An ISO 8601 timestamp with its offset. One schema shared by every field: zod schemas never change. */
export const isoTimestamp = () => timestamp;

const isRealDay = (value: string) => {
  const day = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
};

const day = z
  .string()
  .check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-23'),
    z.refine(isRealDay, { error: 'is not a day of the calendar' }),
  );

/** A calendar day, `YYYY-MM-DD` (2026-02-30 is refused, not rolled over to March). */
export const isoDate = () => day;

/** Flattens zod issues into `field: message` strings for reports and 400 responses. */
export const describeIssues = (issues: readonly z.core.$ZodIssue[]): string[] =>
  issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );

/** An optional IANA time zone: absent or blank means undefined, anything else must be a known zone. */
export const optionalTimeZone = () =>
  z.optional(z.pipe(z.pipe(trimmed(), emptyAsUndefined), z.optional(timeZone())));
