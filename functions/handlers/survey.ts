import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { categoryOf, isScore } from '../domain/nps';
import { hiddenLinkPath } from '../resources/routes';
import { AnswerInput, answerFieldsOfForm } from '../schemas/answer';
import { type ErrorRenderer, type HttpResult, html, httpErrors, json } from '../shared/http';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { formOrJsonBody } from '../shared/request';
import {
  renderClosedPage,
  renderHiddenLinkPage,
  renderSurveyPage,
  renderThanksPage,
} from '../templates/survey-page';
import { answerSurvey, lastAnswerShown, noteHiddenLinkFetched, openSurvey } from '../use-cases/answer-survey';
import { consentOfferFor } from '../use-cases/consent-offer';
import { surveyWiring } from '../wiring/survey';

const { deps, stores, customers, brand, reviewUrl } = surveyWiring();
const hiddenLinkRoute = `GET ${hiddenLinkPath}`;

const wantsJson = (event: APIGatewayProxyEventV2) =>
  (event.headers.accept ?? '').includes('application/json');

/** Reads the answer from a form post or a JSON request; anything malformed is a 400 that says why. */
const parseAnswer = (event: APIGatewayProxyEventV2): AnswerInput =>
  formOrJsonBody(event, AnswerInput, answerFieldsOfForm, 'The answer');

const clickedScore = (event: APIGatewayProxyEventV2) => {
  const score = Number(event.queryStringParameters?.score);
  return isScore(score) ? score : undefined;
};

/** A page for a person's browser; JSON for the page's script and API clients, and for bad input. */
const errorPage: ErrorRenderer = (status, code, message, issues, event) =>
  (status === 404 || status === 409 || status === 410 || status === 503) &&
  !(status === 409 && event !== undefined && wantsJson(event))
    ? html(status, renderClosedPage('en', status))
    : json(status, { error: code, message, ...(issues && issues.length > 0 && { issues }) });

/**
 * `GET /s/{token}?score=N` shows the survey with the clicked score preselected and records nothing
 * (link scanners fetch every link); the page's script saves the score once a real browser shows it.
 * `POST /s/{token}` records an answer (form or JSON); repeats change nothing. `GET /s/{token}/about`
 * is the e-mail's hidden link: only a link scanner fetches it, and it marks the invitation as scanned.
 */
export const handler = publishingMetrics(
  middy<APIGatewayProxyEventV2, HttpResult>()
    .use(httpErrors(errorPage))
    .handler(async (event) => {
      const token = event.pathParameters?.token ?? '';
      if (event.routeKey === hiddenLinkRoute) {
        const survey = await noteHiddenLinkFetched(deps, token);
        countMetric('HiddenLinkFetches');
        return html(200, renderHiddenLinkPage(survey.locale));
      }
      if (event.requestContext.http.method === 'GET') {
        const survey = await openSurvey(deps, token);
        const nonce = randomBytes(16).toString('base64');
        const shown = lastAnswerShown(survey);
        const page = renderSurveyPage({
          locale: survey.locale,
          brand,
          score: clickedScore(event) ?? shown?.score,
          comment: shown?.comment,
          reasons: shown?.reasons ?? [],
          nonce,
        });
        return html(200, page, { scriptNonce: nonce });
      }
      const input = parseAnswer(event);
      const { survey, answer, changed, held } = await answerSurvey(deps, token, input);
      if (changed) countMetric('AnswersRecorded');
      const category = categoryOf(answer.score);
      if (wantsJson(event)) return json(200, { score: answer.score, category, changed, held });
      const [store, customer] = await Promise.all([
        stores.get(survey.storeId),
        // Only a promoter who wrote why is asked for consent to be quoted, with their name's signatures.
        category === 'promoter' && answer.comment !== undefined
          ? customers.get(survey.customerId)
          : undefined,
      ]);
      const consent = consentOfferFor(survey, customer, { brand, action: `${token}/consent` });
      return html(
        200,
        renderThanksPage({
          locale: survey.locale,
          brand,
          storeName: store?.name ?? survey.storeId,
          category,
          reviewUrl,
          ...(category === 'promoter' && answer.comment !== undefined && consent && { consent }),
        }),
      );
    }),
);
