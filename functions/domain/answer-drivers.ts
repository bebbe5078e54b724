/**
 * What one answer contributes to the drivers (see drivers.ts), read by the counting functions only:
 * finding a comment's themes loads the lexicons and stemmers, which reports have no use for.
 */
import { type Reason, reasonCodes } from '../schemas/answer';
import type { Language } from './languages';
import { themesOf } from './themes';

/** The reasons (each once, in `reasonCodes` order) and comment themes of an answer. */
export const driversOf = (
  answer: { readonly reasons: readonly Reason[]; readonly comment?: string | undefined },
  surveyLanguage: Language,
) => ({
  reasons: reasonCodes.filter((reason) => answer.reasons.includes(reason)),
  themes: themesOf(answer.comment, surveyLanguage),
  commented: (answer.comment ?? '').trim() !== '',
});
