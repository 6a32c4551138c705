import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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

/** An answer: status, headers and body (JSON content type unless given), `'hang'` (never answer) or `'reset'` (destroy the socket). */
export type LoopbackReply = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'reset';

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly seen: LoopbackRequest[];
  /** Destroys open sockets (hanging ones included) and stops listening. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 (an ephemeral port) for tests that need real sockets rather than
 * MSW: keep-alive, timeouts, resets, transports. It answers from a queue of replies (each request
 * takes the next; the last repeats) or from a function of the request (routing, counters, delays).
 */
export async function startLoopbackServer(
  replies: LoopbackReply[] | ((request: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>),
): Promise<LoopbackServer> {
  if (Array.isArray(replies) && replies.length === 0) throw new TypeError('startLoopbackServer needs at least one reply');
  const queue = Array.isArray(replies) ? [...replies] : undefined;
  const answer = (request: LoopbackRequest) =>
    queue ? (queue.length > 1 ? queue.shift()! : queue[0]!) : (replies as (r: LoopbackRequest) => LoopbackReply)(request);
  const seen: LoopbackRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
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
      const reply = await answer(request);
      if (reply === 'hang') return;
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
