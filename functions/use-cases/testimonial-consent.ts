import { type ConsentRepository, StaleConsentError } from '../adapters/consent-repository';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { Mailer } from '../adapters/mailer';
import type { SurveyRepository } from '../adapters/survey-repository';
import { DomainError } from '../domain/errors';
import { languageOf } from '../domain/languages';
import {
  consentWordings,
  formatSignature,
  type SignatureChoice,
  signatureChoicesFor,
} from '../domain/testimonial-consent';
import type { StoredConsent } from '../schemas/consent';
import type { ConsentInput } from '../schemas/consent-input';
import type { SurveyRecord } from '../schemas/survey';
import { renderConsentEmail } from '../templates/consent-pages';
import { openSurvey } from './answer-survey';
import { quotedAnswer } from './consent-offer';
import { surveyForLink } from './contact-status';

export interface ConsentDeps {
  readonly surveys: Pick<SurveyRepository, 'get' | 'keyOfReminderLink'>;
  readonly customers: Pick<CustomerRepository, 'get'>;
  readonly consents: Pick<
    ConsentRepository,
    'give' | 'change' | 'withdraw' | 'claimMail' | 'markMailed' | 'releaseMail'
  >;
  readonly mailer: Mailer;
  readonly brand: string;
  /** `{apiUrl}` of the links in e-mails. */
  readonly apiUrl: string;
  readonly clock?: () => Date;
}

/** The confirmation e-mail could not be sent; the consent stands, and sending the form again sends it. */
export class ConfirmationMailError extends DomainError {
  readonly status = 503;
  readonly code = 'confirmation_mail_failed';
}

/** Only a promoter who wrote why may be quoted. */
export class NotQuotableError extends DomainError {
  readonly status = 409;
  readonly code = 'not_quotable';
}

/** A claim on the confirmation e-mail older than this is taken to have failed with its sender. */
const MAIL_CLAIM_SECONDS = 60;
const ATTEMPTS = 4;

const now = (deps: { clock?: () => Date }) => (deps.clock ?? (() => new Date()))();

const sameConsent = (a: StoredConsent, b: StoredConsent) =>
  a.signature === b.signature &&
  a.signatureText === b.signatureText &&
  a.quote === b.quote &&
  a.wording.version === b.wording.version &&
  a.wording.text === b.wording.text;

/** The link that withdraws a consent: the same kind of link token as the survey's and unsubscribe's. */
export const withdrawUrlOf = (apiUrl: string, token: string) => `${apiUrl}/q/${token}`;

/**
 * Records a promoter's consent to be quoted, with the signature chosen and the exact wording shown,
 * then sends the confirmation e-mail with a withdraw link. Idempotent: the same consent posted again
 * changes nothing and sends no second e-mail; another signature replaces the first (counted once).
 * 404/410 for a link that is unknown or closed, 409 when the answer is not a promoter's with a comment.
 */
export const giveConsent = async (
  deps: ConsentDeps,
  token: string,
  input: ConsentInput,
): Promise<{ survey: SurveyRecord; consent: StoredConsent; outcome: 'given' | 'changed' | 'unchanged' }> => {
  for (let attempt = 1; ; attempt++) {
    const survey = await openSurvey(deps, token);
    const answer = quotedAnswer(survey);
    if (answer === undefined || survey.version === undefined) {
      throw new NotQuotableError('Only the comment of a customer who would recommend us can be quoted.');
    }
    const customer = await deps.customers.get(survey.customerId);
    const wording = consentWordings[input.wordingVersion];
    if (wording === undefined) throw new Error(`unknown wording ${input.wordingVersion}`);
    const language = languageOf(survey.locale);
    const name = customer ?? {};
    const choice: SignatureChoice = (signatureChoicesFor(name) as readonly SignatureChoice[]).includes(
      input.signature,
    )
      ? input.signature
      : 'anonymous';
    const at = now(deps).toISOString();
    const previous = survey.consent;
    const consent: StoredConsent = {
      signature: choice,
      signatureText: formatSignature(choice, name, survey.locale),
      quote: answer.comment,
      score: answer.score,
      answeredAt: answer.at,
      wording: { version: input.wordingVersion, language, text: wording[language](deps.brand) },
      givenAt: at,
      countedAt: previous?.countedAt ?? at,
    };
    try {
      if (previous !== undefined && sameConsent(previous, consent)) {
        await sendConfirmation(deps, token, survey, previous, customer);
        return { survey, consent: previous, outcome: 'unchanged' };
      }
      if (previous === undefined)
        await deps.consents.give({ ...survey, version: survey.version }, consent, at);
      else
        await deps.consents.change({ token: survey.token, version: survey.version }, previous, consent, at);
      await sendConfirmation(deps, token, survey, consent, customer);
      return { survey, consent, outcome: previous === undefined ? 'given' : 'changed' };
    } catch (error) {
      if (!(error instanceof StaleConsentError) || attempt >= ATTEMPTS) throw error;
    }
  }
};

/**
 * Sends the confirmation e-mail of a consent once: one request claims it (a double submit finds it
 * claimed or sent), sends it, and notes it sent; a failed send gives the claim back and is a 503, so
 * the customer's next submit sends it. Nobody to mail (no address, bounced, complained): nothing sent.
 */
const sendConfirmation = async (
  deps: ConsentDeps,
  token: string,
  survey: SurveyRecord,
  consent: StoredConsent,
  customer: Awaited<ReturnType<ConsentDeps['customers']['get']>>,
) => {
  if (consent.mailedAt !== undefined || customer === undefined) return;
  if (customer.contactStatus === 'bounced' || customer.contactStatus === 'complained') return;
  const at = now(deps);
  const staleBefore = new Date(at.getTime() - MAIL_CLAIM_SECONDS * 1000).toISOString();
  if (!(await deps.consents.claimMail(survey.token, consent.givenAt, at.toISOString(), staleBefore))) return;
  const email = renderConsentEmail({
    locale: survey.locale,
    brand: deps.brand,
    firstName: customer.firstName,
    consent,
    withdrawUrl: withdrawUrlOf(deps.apiUrl, token),
  });
  try {
    await deps.mailer.send({ to: customer.email, ...email });
  } catch (error) {
    await deps.consents.releaseMail(survey.token, consent.givenAt);
    throw new ConfirmationMailError('The confirmation e-mail could not be sent; send the form again.', {
      cause: error,
    });
  }
  await deps.consents.markMailed(survey.token, consent.givenAt, now(deps).toISOString());
};

/** The survey behind a withdraw link, with its consent if one stands (the link works after the survey closes). */
export const consentForLink = async (deps: Pick<ConsentDeps, 'surveys'>, token: string) =>
  surveyForLink(deps, token);

/**
 * Withdraws the consent behind a link: the quote leaves the testimonials export and the counts at
 * once. Idempotent: `nothing` when there is none (never given, withdrawn already, or erased).
 */
export const withdrawConsent = async (
  deps: Pick<ConsentDeps, 'surveys' | 'consents' | 'clock'>,
  token: string,
): Promise<{ survey: SurveyRecord; outcome: 'withdrawn' | 'nothing' }> => {
  for (let attempt = 1; ; attempt++) {
    const survey = await surveyForLink(deps, token);
    if (survey.consent === undefined) return { survey, outcome: 'nothing' };
    try {
      await deps.consents.withdraw(survey, survey.consent, now(deps).toISOString());
      return { survey, outcome: 'withdrawn' };
    } catch (error) {
      if (!(error instanceof StaleConsentError) || attempt >= ATTEMPTS) throw error;
    }
  }
};
