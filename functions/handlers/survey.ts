import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { createAnswerRepository } from '../adapters/answer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { PayloadTooLargeError, ValidationError } from '../domain/errors';
import { categoryOf } from '../domain/nps';
import { storesTable, surveysTable } from '../resources/tables';
import { AnswerInput } from '../schemas/answer';
import { describeIssues } from '../schemas/common';
import { readConfig, tableNamesFrom } from '../shared/config';
import { type ErrorRenderer, type HttpResult, html, httpErrors, json } from '../shared/http';
import { countMetric, publishingMetrics } from '../shared/metrics';
import { readBrand } from '../shared/settings';
import { renderClosedPage, renderSurveyPage, renderThanksPage } from '../templates/survey-page';
import { answerSurvey, openSurvey } from '../use-cases/answer-survey';

const tables = tableNamesFrom({ surveys: surveysTable, stores: storesTable });
const { BRAND_NAME: brand } = readBrand();
/** Optional page where promoters can leave a public review (Google, Trustpilot…). */
const reviewUrl = readConfig({ REVIEW_URL: z.optional(z.url()) }).REVIEW_URL;
const db = createDocumentClient();
const surveys = createSurveyRepository(db, tables.surveys);
const stores = createStoreRepository(db, tables.stores);
const deps = { surveys, answers: createAnswerRepository(db, { surveys: tables.surveys }) };

const MAX_BODY_BYTES = 16 * 1024;

const wantsJson = (event: APIGatewayProxyEventV2) =>
  (event.headers.accept ?? '').includes('application/json');

/** Reads the answer from a form post or a JSON request; anything malformed is a 400 that says why. */
const parseAnswer = (event: APIGatewayProxyEventV2): AnswerInput => {
  const raw =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES)
    throw new PayloadTooLargeError(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  let fields: unknown;
  if (type === 'application/json') {
    try {
      fields = JSON.parse(raw);
    } catch {
      throw new ValidationError('The request body is not valid JSON.');
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(raw);
    fields = {
      score: form.get('score') ?? undefined,
      comment: form.get('comment') ?? undefined,
      reasons: form.getAll('reasons'),
      source: form.get('source') === 'auto' ? 'auto' : 'form',
    };
  } else {
    throw new ValidationError('Send the answer as application/x-www-form-urlencoded or application/json.');
  }
  const parsed = AnswerInput.safeParse(fields);
  if (!parsed.success)
    throw new ValidationError('The answer is not valid.', describeIssues(parsed.error.issues));
  return parsed.data;
};

const clickedScore = (event: APIGatewayProxyEventV2) => {
  const score = Number(event.queryStringParameters?.score);
  return Number.isInteger(score) && score >= 0 && score <= 10 ? score : undefined;
};

const errorPage: ErrorRenderer = (status, code, message, issues) =>
  status === 404 || status === 410 || status === 503
    ? html(status, renderClosedPage('en', status))
    : json(status, { error: code, message, ...(issues && issues.length > 0 && { issues }) });

/**
 * `GET /s/{token}?score=N` shows the survey with the clicked score preselected and records nothing
 * (link scanners fetch every link); the page's script saves the score once a real browser shows it.
 * `POST /s/{token}` records an answer (form or JSON); the latest answer wins, repeats change nothing.
 */
export const handler = publishingMetrics(
  middy<APIGatewayProxyEventV2, HttpResult>()
    .use(httpErrors(errorPage))
    .handler(async (event) => {
      const token = event.pathParameters?.token ?? '';
      if (event.requestContext.http.method === 'GET') {
        const survey = await openSurvey(deps, token);
        const nonce = randomBytes(16).toString('base64');
        const page = renderSurveyPage({
          locale: survey.locale,
          brand,
          score: clickedScore(event) ?? survey.answer?.score,
          comment: survey.answer?.comment,
          reasons: survey.answer?.reasons ?? [],
          nonce,
        });
        return html(200, page, { scriptNonce: nonce });
      }
      const input = parseAnswer(event);
      const { survey, answer, changed } = await answerSurvey(deps, token, input);
      if (changed) countMetric('AnswersRecorded');
      const category = categoryOf(answer.score);
      if (wantsJson(event)) return json(200, { score: answer.score, category, changed });
      const store = await stores.get(survey.storeId);
      return html(
        200,
        renderThanksPage({
          locale: survey.locale,
          brand,
          storeName: store?.name ?? survey.storeId,
          category,
          reviewUrl,
        }),
      );
    }),
);
