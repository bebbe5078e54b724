import * as z from 'zod/mini';
import { languages } from '../domain/languages';
import { signatureChoices } from '../domain/testimonial-consent';
import { isoTimestamp } from './common';

export const SignatureChoice = z.enum(signatureChoices, {
  error: `must be one of ${signatureChoices.join(', ')}`,
});

/**
 * A consent as stored on its survey (`consent`): what was agreed to, exactly as shown, and when. The
 * survey also carries `quoteShard` and `consentedAt` while it stands (the sparse `consentedQuotes` index).
 */
export const StoredConsent = z.object({
  signature: SignatureChoice,
  /** The signature as it will be published, rendered when consent was given (`Marie D.`). */
  signatureText: z.string(),
  /** The words the customer agreed to have quoted: the comment as it stood then. */
  quote: z.string(),
  /** The score of the answer quoted, and when it was given. */
  score: z.number(),
  answeredAt: isoTimestamp(),
  /** The question shown, exactly: its version, language and text. */
  wording: z.object({ version: z.string(), language: z.enum(languages), text: z.string() }),
  /** When this consent (or its latest change of signature) was given. */
  givenAt: isoTimestamp(),
  /** When consent was first given: the day and month the aggregates count it in, for good. */
  countedAt: isoTimestamp(),
  /** The confirmation e-mail: claimed by one request, then sent. */
  mailClaimedAt: z.optional(isoTimestamp()),
  mailedAt: z.optional(isoTimestamp()),
});
export type StoredConsent = z.infer<typeof StoredConsent>;
