import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A captured request on the loopback server. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the next request gets: status, headers, body; or 'hang' to never answer. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'reset';

/** A real HTTP server on 127.0.0.1 answering from a queue of replies (the last one repeats). */
export function startLoopback(replies: Reply[]) {
  return startHandlerServer(() => (replies.length > 1 ? replies.shift()! : replies[0]!));
}

/** A request as a handler sees it. */
export interface HandledRequest extends SeenRequest {
  /** The path without the query. */
  path: string;
  query: URLSearchParams;
  /** The client's port: equal ports mean a reused (keep-alive) connection. */
  remotePort: number | undefined;
}

/** What a handler answers: a reply, 'hang' (never answer), 'reset' (destroy the socket). */
export type HandlerReply = Reply | Promise<Reply>;

/** A real HTTP server on 127.0.0.1 whose answers come from a function (routing, counters, delays). */
export async function startHandlerServer(handler: (req: HandledRequest) => HandlerReply) {
  const seen: HandledRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const handled: HandledRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        path: url.pathname,
        query: url.searchParams,
        remotePort: req.socket.remotePort,
      };
      seen.push(handled);
      const reply = await handler(handled);
      if (reply === 'hang') return;
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Collects every telemetry event of a bus. */
export function recordEvents(telemetry: { onAny(listener: (name: string, payload: unknown) => void): () => void }) {
  const events: Array<{ name: string; payload: any }> = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  return events;
}
