import * as z from 'zod/mini';
import { consentWordings } from '../domain/testimonial-consent';
import { SignatureChoice } from './consent';

/**
 * A promoter's answer to "may we quote you?", as the thank-you page's form posts it (or as JSON):
 * how to sign, and the version of the wording the form showed.
 */
export const ConsentInput = z.object({
  signature: SignatureChoice,
  wordingVersion: z
    .string()
    .check(
      z.refine((version) => Object.hasOwn(consentWordings, version), 'is not a consent wording we know'),
    ),
});
export type ConsentInput = z.infer<typeof ConsentInput>;

/** The fields of the consent form's post (without JavaScript), for `ConsentInput` to check. */
export const consentFieldsOfForm = (form: URLSearchParams) => ({
  signature: form.get('signature') ?? undefined,
  wordingVersion: form.get('wordingVersion') ?? undefined,
});
