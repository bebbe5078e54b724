import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, html, httpErrors } from '../shared/http';
import {
  renderUnsubscribed,
  renderUnsubscribeError,
  renderUnsubscribeQuestion,
} from '../templates/unsubscribe-page';
import { surveyForLink, unsubscribe } from '../use-cases/contact-status';
import { unsubscribeWiring } from '../wiring/unsubscribe';

const { deps, brand } = unsubscribeWiring();

/**
 * `GET /u/{token}` asks for confirmation (link scanners fetch links, and must not unsubscribe anyone);
 * `POST /u/{token}` unsubscribes, from that page or as the RFC 8058 one-click target mail providers call.
 * Both are idempotent.
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(httpErrors((status) => html(status, renderUnsubscribeError(status))))
  .handler(async (event) => {
    const token = event.pathParameters?.token ?? '';
    if (event.requestContext.http.method === 'POST') {
      const { survey } = await unsubscribe(deps, token);
      return html(200, renderUnsubscribed(survey.locale, brand));
    }
    const survey = await surveyForLink(deps, token);
    return html(200, renderUnsubscribeQuestion(survey.locale, brand));
  });
