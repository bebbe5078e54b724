import { createServer, request as forward } from 'node:http';

/** SES's answers to a failed send: over the sending rate (429), or refused for good (400). */
const sesErrors = {
  throttle: {
    status: 429,
    type: 'TooManyRequestsException',
    message: 'Maximum sending rate exceeded (injected).',
  },
  reject: { status: 400, type: 'MessageRejected', message: 'Email address is not verified (injected).' },
} as const;

/**
 * A pass-through HTTP proxy in front of an emulator that can fail chosen requests, to inject the
 * throttling and outages a real service has. `failWhen` sees each request body and decides; the
 * failure is SES's throttling unless `as` says `reject` (a refusal no retry gets past).
 */
export const startFaultyProxy = async (target: string) => {
  let failWhen: (body: string) => boolean = () => false;
  let answer: (typeof sesErrors)[keyof typeof sesErrors] = sesErrors.throttle;
  let failures = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (failWhen(body.toString('utf8'))) {
        failures++;
        outgoing
          .writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-errortype': answer.type })
          .end(JSON.stringify({ message: answer.message }));
        return;
      }
      const url = new URL(incoming.url ?? '/', target);
      const upstream = forward(
        url,
        { method: incoming.method, headers: { ...incoming.headers, host: url.host } },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        },
      );
      upstream.on('error', () => outgoing.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    setFailWhen: (
      decide: (body: string) => boolean,
      { as = 'throttle' }: { as?: keyof typeof sesErrors } = {},
    ) => {
      failWhen = decide;
      answer = sesErrors[as];
    },
    get failures() {
      return failures;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
