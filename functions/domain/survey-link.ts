/**
 * Survey links and the keys they are stored under. A link token (128 random bits, base64url) is the
 * secret that lets its holder answer a survey or unsubscribe; the Surveys table keeps only its hash,
 * so whoever reads the table (a backup, an export, an operator) cannot answer or unsubscribe for
 * anyone. Pure functions.
 */
import { createHash } from 'node:crypto';

/** The key a link token is stored under: base64url(SHA-256(token)), 43 characters. */
export const surveyKeyOf = (linkToken: string): string =>
  createHash('sha256').update(linkToken).digest('base64url');

/** Length of every link token: 16 random bytes in base64url. */
export const LINK_TOKEN_LENGTH = 22;

/**
 * The key a link had before keys were hashed (the raw token), for the links sent before then, until
 * they expire (30 days after deployment: see docs/decisions.md). Only for a token of a link token's
 * length: a stored key (43 characters) read from the table must never be taken as a link, or reading
 * the table would give the power to answer again.
 */
export const legacyKeyOf = (linkToken: string): string | undefined =>
  linkToken.length === LINK_TOKEN_LENGTH ? linkToken : undefined;
