import type { IncomingHttpHeaders } from 'node:http';
import { createServer, request as forward } from 'node:http';
import type { Socket } from 'node:net';

/** A request as the proxy saw it, for a fault rule to decide on. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The answer the proxy gives instead of forwarding: an error response of the service. */
export interface InjectedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What the upstream service answered, for an observer (the body is buffered). */
export interface UpstreamResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of an emulator, to give it the faults a real
 * service has: `decide` sees every request and may answer it with an error instead of forwarding it;
 * `observe` sees every forwarded request with the service's answer; `down()` refuses connections (an
 * outage, or the emulator restarting) until `up()`. The proxy keeps its port across an outage, so
 * clients configured with its URL reconnect when it is back.
 */
export const startFaultProxy = async (
  target: string,
  {
    decide = () => undefined,
    observe = () => undefined,
  }: {
    decide?: (request: ProxiedRequest) => InjectedResponse | undefined;
    observe?: (request: ProxiedRequest, response: UpstreamResponse) => void;
  } = {},
) => {
  let rules = { decide, observe };
  let upstreamErrors = 0;
  const pending = new Map<number, { what: string; since: number; stage: string }>();
  let nextId = 0;
  const sockets = new Set<Socket>();
  const server = createServer((incoming, outgoing) => {
    const id = nextId++;
    pending.set(id, {
      what: `${incoming.method} ${incoming.url} ${incoming.headers['x-amz-target'] ?? ''}`,
      since: Date.now(),
      stage: 'reading',
    });
    outgoing.on('close', () => pending.delete(id));
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const request: ProxiedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body: body.toString('utf8'),
      };
      const entry = pending.get(id);
      if (entry) entry.stage = 'deciding';
      const injected = rules.decide(request);
      if (entry) entry.stage = injected ? 'injected' : 'forwarding';
      if (injected !== undefined) {
        const payload = Buffer.from(injected.body ?? '');
        outgoing
          .writeHead(injected.status, { ...injected.headers, 'content-length': String(payload.length) })
          .end(payload);
        return;
      }
      const url = new URL(request.path, target);
      const upstream = forward(
        url,
        { method: request.method, headers: { ...incoming.headers, host: url.host } },
        (response) => {
          const answer: Buffer[] = [];
          response.on('data', (chunk: Buffer) => answer.push(chunk));
          response.on('end', () => {
            const payload = Buffer.concat(answer);
            const status = response.statusCode ?? 502;
            rules.observe(request, { status, headers: response.headers, body: payload.toString('utf8') });
            const { 'transfer-encoding': _chunked, ...headers } = response.headers;
            outgoing.writeHead(status, { ...headers, 'content-length': String(payload.length) }).end(payload);
          });
          response.on('error', () => outgoing.destroy());
        },
      );
      upstream.on('error', () => {
        upstreamErrors++;
        if (!outgoing.headersSent) outgoing.writeHead(502).end();
        else outgoing.destroy();
      });
      upstream.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await listen(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let isUp = true;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests the proxy could not forward (the service was down): answered 502. */
    get stale() {
      return [...pending.values()].filter((entry) => Date.now() - entry.since > 5_000);
    },
    get upstreamErrors() {
      return upstreamErrors;
    },
    setRules(next: {
      decide?: (request: ProxiedRequest) => InjectedResponse | undefined;
      observe?: (request: ProxiedRequest, response: UpstreamResponse) => void;
    }) {
      rules = { decide: next.decide ?? (() => undefined), observe: next.observe ?? (() => undefined) };
    },
    /** Drops every open connection and refuses new ones (ECONNREFUSED) until `up()`. */
    async down() {
      if (!isUp) return;
      isUp = false;
      await close();
    },
    async up() {
      if (isUp) return;
      await listen(port);
      isUp = true;
    },
    async stop() {
      if (isUp) await close();
      isUp = false;
    },
  };
};

export type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;
