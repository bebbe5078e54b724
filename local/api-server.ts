import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { timeoutSecondsOf } from '../functions/resources/function-manifest';
import { fullScopeName, integrationResourceServer } from '../functions/resources/integration-scopes';
import { functionManifests } from '../functions/resources/manifests';
import {
  type RouteDefinition,
  type RouteThrottle,
  routeKeyOf,
  routes,
  routeThrottleSettings,
  type ThrottleGroup,
} from '../functions/resources/routes';
import { asFunction, consoleLog } from './console-log';
import { createJwtAuthorizer, scopesOf } from './identity/jwt-authorizer';
import { lambdaContext } from './lambda-context';
import { createRouteThrottle } from './route-throttle';

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly parameterNames: readonly string[];
}

const compile = (route: RouteDefinition): CompiledRoute => {
  const parameterNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (parameter === undefined) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
      parameterNames.push(parameter);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
};

/** API Gateway's limit on a request body (HTTP APIs answer 413 above it, before any function runs). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The body, or undefined when it is larger than API Gateway takes (read to the end, not kept). */
const readBody = async (request: IncomingMessage): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
};

/** Whether every `%` escape of a path decodes (API Gateway refuses a path that does not). */
const decodable = (segments: readonly string[]) => {
  try {
    for (const segment of segments) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/** The request's URL. Its target is a path (`//x` too: a path, never a host) or an absolute URL. */
const urlOf = (request: IncomingMessage) => {
  const target = request.url ?? '/';
  try {
    return new URL(target.startsWith('/') ? `http://localhost${target}` : target);
  } catch {
    return undefined;
  }
};

const isTextual = (contentType: string | undefined) =>
  contentType === undefined || /^(text\/|application\/(json|x-www-form-urlencoded|xml))/i.test(contentType);

/** Builds the event API Gateway (HTTP API, payload format 2.0) would hand the function. */
export const toApiGatewayEvent = (
  request: IncomingMessage,
  body: Buffer,
  route: CompiledRoute,
  match: RegExpMatchArray,
): APIGatewayProxyEventV2 => {
  const url = urlOf(request) ?? new URL('http://localhost/');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // Collected in a Map, so that names such as `constructor` or `__proto__` become plain keys, as in JSON.
  const values = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const earlier = values.get(name);
    values.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  const query: Record<string, string> = Object.fromEntries(values);
  const pathParameters = Object.fromEntries(
    route.parameterNames.map((name, position) => [name, decodeURIComponent(match[position + 1] ?? '')]),
  );
  const textual = isTextual(headers['content-type']);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${route.route.method} ${route.route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: request.headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: route.parameterNames.length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${route.route.method} ${route.route.path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? (textual ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !textual,
  };
};

const send = (response: ServerResponse, result: APIGatewayProxyResultV2) => {
  if (typeof result === 'string' || result === undefined || result === null) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    return;
  }
  if (typeof result !== 'object' || !('statusCode' in result) || typeof result.statusCode !== 'number') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode, headers);
  response.end(
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
  );
};

/** The time a handler's function may run, from its manifest (as its Lambda is configured). */
const timeoutMillisOf = (handler: string) => {
  const manifest = functionManifests.find((candidate) => candidate.handler === handler);
  return (manifest === undefined ? 10 : timeoutSecondsOf(manifest)) * 1000;
};

const problem = (response: ServerResponse, statusCode: number, message: string) =>
  response.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));

/**
 * The JWT authorizer of the signed-in routes, as the stack configures API Gateway's: the local
 * identity provider's issuer and the pages' client (`OIDC_ISSUER_URL`, `OIDC_CLIENT_ID`, read at the
 * first signed-in request, like the handlers' settings).
 */
const signedInRoutesAuthorizer = (audienceOf: (clientId: string) => string) => {
  let authorize: ReturnType<typeof createJwtAuthorizer> | undefined;
  return () => {
    if (authorize !== undefined) return authorize;
    const { OIDC_ISSUER_URL: issuerUrl, OIDC_CLIENT_ID: clientId } = process.env;
    if (!issuerUrl || !clientId)
      throw new Error(
        'OIDC_ISSUER_URL and OIDC_CLIENT_ID must name the identity provider of the signed-in routes',
      );
    authorize = createJwtAuthorizer({ issuerUrl, audience: audienceOf(clientId) });
    return authorize;
  };
};

/**
 * Serves the HTTP API on 127.0.0.1 the way API Gateway would: it matches the routes declared in
 * `functions/resources/routes.ts` and invokes the same handler modules the stack deploys. The process
 * environment must hold the functions' configuration before the first request (handlers read it once).
 */
export const startApiServer = async ({
  port,
  throttle,
}: {
  port: number;
  /**
   * Throttle each route as the stage's route settings do in AWS, with these limits per route group
   * (`routeThrottles` for the deployed defaults): over them a route answers 429 before anything else.
   * Off by default, so that tests and benchmarks may load the local API as hard as they like.
   */
  throttle?: Readonly<Record<ThrottleGroup, RouteThrottle>>;
}): Promise<{ url: string; server: Server; stop(): Promise<void> }> => {
  const compiled = routes.map(compile);
  const allowed = throttle === undefined ? () => true : createRouteThrottle(routeThrottleSettings(throttle));
  const handlers = new Map<string, Promise<HttpHandler>>();
  const authorizer = signedInRoutesAuthorizer((clientId) => clientId);
  // The integrations' authorizer: same issuer, the resource server's audience (the stack's lists it too).
  const integrationAuthorizer = signedInRoutesAuthorizer(() => integrationResourceServer);
  const load = (name: string) => {
    let handler = handlers.get(name);
    if (handler === undefined) {
      handler = import(`../functions/handlers/${name}.ts`).then((module) => module.handler as HttpHandler);
      handlers.set(name, handler);
    }
    return handler;
  };

  const server = createServer(async (request, response) => {
    try {
      // API Gateway takes the whole request before routing it: an oversized body is a 413 anywhere.
      const body = await readBody(request);
      if (body === undefined) return problem(response, 413, 'Request Too Large');
      const path = urlOf(request)?.pathname;
      if (path === undefined) return problem(response, 400, 'Bad Request');
      const onPath = compiled.filter((route) => route.pattern.test(path));
      const route = onPath.find((candidate) => candidate.route.method === request.method);
      if (route === undefined) {
        if (onPath.length > 0) return problem(response, 405, 'Method Not Allowed');
        return problem(response, 404, 'Not Found');
      }
      // API Gateway throttles a route before its authorizer or function runs.
      if (!allowed(routeKeyOf(route.route))) return problem(response, 429, 'Too Many Requests');
      const match = path.match(route.pattern) as RegExpMatchArray;
      if (!decodable(match.slice(1))) return problem(response, 400, 'Bad Request');
      const event = toApiGatewayEvent(request, body, route, match);
      if (route.route.auth === 'manager') {
        // What API Gateway's JWT authorizer does: refuse without a valid token, else pass its claims.
        const { authorization } = request.headers;
        const claims = authorization === undefined ? undefined : await authorizer()(authorization);
        if (claims === undefined) return problem(response, 401, 'Unauthorized');
        Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes: [] } } });
      }
      if (route.route.auth === 'integration') {
        // The same, and the token must hold one of the route's scopes (else 403, as API Gateway answers).
        const { authorization } = request.headers;
        const claims = authorization === undefined ? undefined : await integrationAuthorizer()(authorization);
        if (claims === undefined) return problem(response, 401, 'Unauthorized');
        const scopes = scopesOf(claims);
        const required = (route.route.scopes ?? []).map(fullScopeName);
        if (!required.some((scope) => scopes.includes(scope))) return problem(response, 403, 'Forbidden');
        Object.assign(event.requestContext, { authorizer: { jwt: { claims, scopes } } });
      }
      const handler = await load(route.route.handler);
      const name = route.route.handler;
      send(
        response,
        await asFunction(name, () => handler(event, lambdaContext(name, timeoutMillisOf(name)))),
      );
    } catch (error) {
      consoleLog.error('local API', 'handler failed', { error });
      if (!response.headersSent) problem(response, 502, 'Internal Server Error');
    }
  });
  // A request Node's parser refuses (an unknown method, headers over its limit) still gets a message.
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ message: STATUS_CODES[status] });
    // An answer to HEAD has no body, or the client reads it as the start of another answer.
    const head = error.rawPacket?.toString('latin1', 0, 5) === 'HEAD ';
    // What the client still sends is read and dropped until it closes: a connection closed with
    // unread data is reset, and the client could lose the answer (a lingering close, as nginx does).
    socket.resume();
    setTimeout(() => socket.destroy(), 5_000).unref();
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${head ? '' : body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}`,
    server,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
