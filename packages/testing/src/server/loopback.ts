import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';

/** A request the loopback server received, body as UTF-8 text. */
export interface LoopbackRequest {
  method: string;
  /** The request target as sent (path and query). */
  url: string;
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** The client's port: equal ports mean a reused (keep-alive) connection. */
  remotePort: number | undefined;
}

/**
 * An answer: status, headers and body (JSON content type unless given), a web-standard `Response`
 * (written as it is), `'hang'` (never answer) or `'reset'` (destroy the socket).
 */
export type LoopbackReply = { status: number; headers?: Record<string, string>; body?: string } | Response | 'hang' | 'reset';

/** A server listening on 127.0.0.1 (see {@link listenOnLoopback}). */
export interface LoopbackListener {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Destroys open sockets (hanging ones included) and stops listening. */
  close(): Promise<void>;
}

/** A running loopback server. */
export interface LoopbackServer extends LoopbackListener {
  /** Every request received, in order. */
  readonly seen: LoopbackRequest[];
}

/**
 * Listens on 127.0.0.1 (an ephemeral port) with any Node server — an `http.Server` around the
 * handler under test, or a raw `net.Server` for byte-level protocols (MLLP, half-written
 * responses) — or with a request listener (an `http.Server` is made for it). Tracks the
 * connections so that `close()` ends hanging ones too instead of waiting for them.
 */
export async function listenOnLoopback(target: NetServer | RequestListener): Promise<LoopbackListener> {
  const server = typeof target === 'function' ? createServer(target) : target;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function write(res: ServerResponse, reply: Exclude<LoopbackReply, 'hang' | 'reset'>): Promise<void> {
  if (reply instanceof Response) {
    res.writeHead(reply.status, Object.fromEntries(reply.headers));
    res.end(Buffer.from(await reply.arrayBuffer()));
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(reply.body ?? '');
}

/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) for tests that need real sockets rather than
 * MSW: keep-alive, timeouts, resets, transports. It answers from a queue of replies (each request
 * takes the next; the last repeats) or from a function of the request (routing, counters, delays).
 * A function that throws answers 500.
 */
export async function startLoopbackServer(
  replies: LoopbackReply[] | ((request: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>),
): Promise<LoopbackServer> {
  if (Array.isArray(replies) && replies.length === 0) throw new TypeError('startLoopbackServer needs at least one reply');
  const queue = Array.isArray(replies) ? [...replies] : undefined;
  const answer = async (request: LoopbackRequest) =>
    queue ? (queue.length > 1 ? queue.shift()! : queue[0]!) : (replies as (r: LoopbackRequest) => LoopbackReply)(request);
  const seen: LoopbackRequest[] = [];
  const listener = await listenOnLoopback((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: LoopbackRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      };
      seen.push(request);
      let reply: LoopbackReply;
      try {
        reply = await answer(request);
      } catch {
        reply = { status: 500 };
      }
      if (reply === 'hang') return;
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      await write(res, reply);
    });
  });
  return { ...listener, seen };
}

/**
 * A loopback server that hands every request to a web-standard handler (`Request` in, `Response`
 * out), as fetch-style apps and fake vendors are written: the same server, over real sockets.
 */
export async function startFetchLoopbackServer(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<LoopbackServer> {
  let origin = '';
  const server = await startLoopbackServer((r) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const hasBody = r.body.length > 0 && r.method !== 'GET' && r.method !== 'HEAD';
    return handler(new Request(`${origin}${r.url}`, { method: r.method, headers, ...(hasBody && { body: r.body }) }));
  });
  origin = server.url;
  return server;
}
