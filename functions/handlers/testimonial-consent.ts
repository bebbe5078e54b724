import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../domain/errors';
import { ConsentInput, consentFieldsOfForm } from '../schemas/consent-input';
import { type ErrorRenderer, type HttpResult, html, httpErrors, json } from '../shared/http';
import { contentTypeOf, formOrJsonBody } from '../shared/request';
import { consentMessagesFor } from '../templates/consent-messages';
import {
  renderConsentFormPage,
  renderConsentProblem,
  renderConsentSaved,
  renderWithdrawn,
  renderWithdrawQuestion,
} from '../templates/consent-pages';
import { renderClosedPage } from '../templates/survey-page';
import { consentOfferFor } from '../use-cases/consent-offer';
import { consentForLink, giveConsent, withdrawConsent } from '../use-cases/testimonial-consent';
import { testimonialConsentWiring } from '../wiring/testimonial-consent';

const deps = testimonialConsentWiring();

const wantsJson = (event: APIGatewayProxyEventV2) =>
  (event.headers.accept ?? '').includes('application/json') || contentTypeOf(event) === 'application/json';

/** Pages for people, JSON for scripts and API clients (and for bad JSON input). */
const errorPage: ErrorRenderer = (status, code, message, issues, event) => {
  if (event !== undefined && !wantsJson(event)) {
    if (status === 404 || status === 410) return html(status, renderClosedPage('en', status));
    if (code === 'not_quotable') return html(status, renderConsentProblem('en', 'not-quotable'));
    if (code === 'confirmation_mail_failed') return html(status, renderConsentProblem('en', 'mail-failed'));
    if (status >= 500) return html(status, renderConsentProblem('en', 'error'));
  }
  return json(status, { error: code, message, ...(issues && issues.length > 0 && { issues }) });
};

/** The consent as posted (form or JSON); anything malformed is a ValidationError saying why. */
const parseConsent = (event: APIGatewayProxyEventV2): ConsentInput =>
  formOrJsonBody(event, ConsentInput, consentFieldsOfForm, 'The consent');

/**
 * `POST /s/{token}/consent`: a promoter agrees to be quoted (the thank-you page's form, or JSON);
 * a form post without a signature shows the form again, 400, saying what to choose.
 * `GET /q/{token}`: the confirmation e-mail's withdraw link asks to confirm (a GET changes nothing);
 * `POST /q/{token}` withdraws. Every one is idempotent.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(httpErrors(errorPage))
  .handler(async (event) => {
    const token = event.pathParameters?.token ?? '';
    const { method } = event.requestContext.http;
    if (event.routeKey.includes(' /q/')) {
      if (method === 'POST') {
        const { survey, outcome } = await withdrawConsent(deps, token);
        if (wantsJson(event)) return json(200, { outcome });
        return html(200, renderWithdrawn(survey.locale, deps.brand, outcome));
      }
      const survey = await consentForLink(deps, token);
      if (wantsJson(event)) return json(200, { consented: survey.consent !== undefined });
      return html(
        200,
        survey.consent === undefined
          ? renderWithdrawn(survey.locale, deps.brand, 'nothing')
          : renderWithdrawQuestion(survey.locale, deps.brand, survey.consent),
      );
    }
    let input: ConsentInput;
    try {
      input = parseConsent(event);
    } catch (error) {
      if (!(error instanceof ValidationError) || wantsJson(event)) throw error;
      // A person's form post: the form again, with what to fix.
      const survey = await consentForLink(deps, token);
      const customer = await deps.customers.get(survey.customerId);
      const offer = consentOfferFor(survey, customer, { brand: deps.brand, action: 'consent' });
      if (offer === undefined) throw error;
      const { messages: t } = consentMessagesFor(survey.locale);
      return html(400, renderConsentFormPage(survey.locale, offer, [t.chooseSignature]));
    }
    const { survey, consent, outcome } = await giveConsent(deps, token, input);
    if (wantsJson(event))
      return json(200, { outcome, signature: consent.signature, signatureText: consent.signatureText });
    return html(200, renderConsentSaved(survey.locale, consent));
  });
