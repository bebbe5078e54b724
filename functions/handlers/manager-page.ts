import { randomBytes } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, html, httpErrors } from '../shared/http';
import { readPageSignIn } from '../shared/settings';
import { renderManagerPage } from '../templates/manager-page';
import { signInConnectSources } from '../templates/sign-in';

const signIn = readPageSignIn();
const connectSources = signInConnectSources(signIn);

/** `GET /m`: the managers' page. It holds no data; its script signs in and calls the authenticated `/m/cases` API. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(httpErrors())
  .handler(async () => {
    const nonce = randomBytes(16).toString('base64');
    return html(200, renderManagerPage(nonce, signIn), { scriptNonce: nonce, connectSources });
  });
