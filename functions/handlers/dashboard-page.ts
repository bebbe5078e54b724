import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, html, httpErrors } from '../shared/http';
import { readPageSignIn } from '../shared/settings';
import { renderDashboardPage } from '../templates/dashboard-page';
import { signInConnectSources } from '../templates/sign-in';

const signIn = readPageSignIn();
const connectSources = signInConnectSources(signIn);

/** `GET /d`: the NPS dashboard. It holds no data; its script signs in and calls the authenticated `/r/dashboard` API. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(httpErrors())
  .handler(async () => {
    const nonce = randomBytes(16).toString('base64');
    return html(200, renderDashboardPage(nonce, signIn), { scriptNonce: nonce, connectSources });
  });
