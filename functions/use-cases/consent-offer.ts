import {
  currentConsentWording,
  formatSignature,
  mayBeQuoted,
  signatureChoicesFor,
} from '../domain/testimonial-consent';
import type { SurveyRecord } from '../schemas/survey';
import type { ConsentOffer } from '../templates/consent-pages';

/** The quote an answer offers, or undefined when it may not be quoted. */
export const quotedAnswer = (survey: SurveyRecord) => {
  // The latest answer not discarded as a scanner's: the one the customer just sent, counted or not yet.
  const answer =
    survey.answers?.findLast((recorded) => recorded.verdict?.kind !== 'discarded') ?? survey.answer;
  return mayBeQuoted(answer) && answer !== undefined
    ? { score: answer.score, comment: (answer.comment ?? '').trim(), at: answer.at }
    : undefined;
};

/**
 * What the thank-you page offers a promoter who wrote why: the form's wording, their quote and the
 * signatures their name allows. Undefined for anyone else (nothing to quote).
 */
export const consentOfferFor = (
  survey: SurveyRecord,
  customer: { firstName?: string; lastName?: string } | undefined,
  { brand, action }: { brand: string; action: string },
): ConsentOffer | undefined => {
  const answer = quotedAnswer(survey);
  if (answer === undefined) return undefined;
  const wording = currentConsentWording(survey.locale, brand);
  const name = customer ?? {};
  return {
    action,
    wordingVersion: wording.version,
    wordingText: wording.text,
    quote: answer.comment,
    choices: signatureChoicesFor(name).map((value) => ({
      value,
      signatureText: formatSignature(value, name, survey.locale),
    })),
    ...(survey.consent && { checked: survey.consent.signature }),
  };
};
