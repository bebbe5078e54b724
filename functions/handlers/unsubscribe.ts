import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSurveyRepository } from '../adapters/survey-repository';
import { customersTable, surveysTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { type ErrorRenderer, type HttpResult, html, httpErrors } from '../shared/http';
import { readBrand } from '../shared/settings';
import { messagesFor } from '../templates/messages';
import { escapeHtml, page } from '../templates/pages';
import { surveyForLink, unsubscribe } from '../use-cases/contact-status';

const tables = tableNamesFrom({ customers: customersTable, surveys: surveysTable });
const config = readBrand();
const db = createDocumentClient();
const deps = {
  customers: createCustomerRepository(db, tables),
  surveys: createSurveyRepository(db, tables.surveys),
};

const notFoundPage: ErrorRenderer = (status) => {
  const { language, messages } = messagesFor('en');
  const text =
    status === 404 ? messages.notFoundText : 'Something went wrong on our side. Please try again later.';
  return html(
    status,
    page({
      language,
      title: status === 404 ? messages.notFoundTitle : 'Error',
      body: `<p>${escapeHtml(text)}</p>`,
    }),
  );
};

/**
 * `GET /u/{token}` asks for confirmation (link scanners fetch links, and must not unsubscribe anyone);
 * `POST /u/{token}` unsubscribes, from that page or as the RFC 8058 one-click target mail providers call.
 * Both are idempotent.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(httpErrors(notFoundPage))
  .handler(async (event) => {
    const token = event.pathParameters?.token ?? '';
    if (event.requestContext.http.method === 'POST') {
      const { survey } = await unsubscribe(deps, token);
      const { language, messages } = messagesFor(survey.locale);
      return html(
        200,
        page({
          language,
          title: messages.unsubscribedTitle,
          body: `<p>${escapeHtml(messages.unsubscribedText(config.BRAND_NAME))}</p>`,
        }),
      );
    }
    const survey = await surveyForLink(deps, token);
    const { language, messages } = messagesFor(survey.locale);
    return html(
      200,
      page({
        language,
        title: messages.unsubscribeTitle,
        body:
          `<p>${escapeHtml(messages.unsubscribeQuestion(config.BRAND_NAME))}</p>` +
          `<form method="post"><button type="submit">${escapeHtml(messages.unsubscribeButton)}</button></form>`,
      }),
    );
  });
