import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { createFakeAri, type FakeAri, type FakeAriOptions } from './fake-ari.js';
import type { AriEventFixture, ScriptedEvent } from './fixtures.js';

/** A running fake Asterisk: ARI REST and the event WebSocket on one loopback port. */
export interface FakeAriServer {
  /** `http://127.0.0.1:<port>`: the connector's `baseUrl` (with `allowInsecureHttp: true`). */
  readonly baseUrl: string;
  /** The PBX state and the REST requests received. */
  readonly ari: FakeAri;
  /** Event sockets open now. */
  readonly connections: number;
  /** Resolves when at least `count` event sockets are open. */
  waitForConnections(count?: number): Promise<void>;
  /**
   * Sends one event to every socket subscribed to its `application`, after applying it to the
   * state. With no socket open the state still changes and the event is lost, as on a real PBX.
   */
  emit(event: AriEventFixture): void;
  /** Plays scripted events in order (their `at` is already in each event's timestamp). */
  play(events: ScriptedEvent[]): void;
  /** Drops every event socket abruptly (no close handshake), as a network cut does. */
  drop(): void;
  /** Refuses new event sockets (HTTP 503) until called again with false. */
  refuseConnections(refuse: boolean): void;
  close(): Promise<void>;
}

/**
 * Starts a fake ARI on `127.0.0.1` with a random port. A real HTTP + `ws` server rather than MSW:
 * MSW cannot stand in for a WebSocket server that a `ws` client connects to. Authentication as
 * ARI does it: `Authorization: Basic` or `api_key=user:password` on REST and on `/ari/events`.
 */
export async function startFakeAriServer(options: FakeAriOptions): Promise<FakeAriServer> {
  const ari = createFakeAri(options);
  const sockets = new Map<WebSocket, string>();
  let refusing = false;
  const waiters: { count: number; resolve: () => void }[] = [];
  const wss = new WebSocketServer({ noServer: true });

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!url.pathname.startsWith('/ari/')) {
      res.writeHead(404).end();
      return;
    }
    if (!ari.authorized(req.headers.authorization, url.searchParams)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Authentication required' }));
      return;
    }
    // ARI takes parameters in the query or as keys of a JSON body (capped: it is a test fake).
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 1_000_000) chunks.push(chunk);
    });
    req.on('end', () => {
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Invalid JSON body' }));
        return;
      }
      const answer = ari.handle(req.method ?? 'GET', url.pathname.slice(4), url.searchParams, body);
      if (answer.bytes) {
        res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/octet-stream' });
        res.end(Buffer.from(answer.bytes));
      } else if (answer.json !== undefined) {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
      } else res.writeHead(answer.status).end();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const app = url.searchParams.get('app');
    const refuse = (status: number) => {
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    };
    if (url.pathname !== '/ari/events' || !app) return refuse(400);
    if (!ari.authorized(req.headers.authorization, url.searchParams)) return refuse(401);
    if (refusing) return refuse(503);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(ws, app);
      ws.on('close', () => sockets.delete(ws));
      for (const waiter of [...waiters])
        if (sockets.size >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const emit = (event: AriEventFixture) => {
    ari.apply(event);
    const text = JSON.stringify(event);
    for (const [ws, app] of sockets) if (app === event.application && ws.readyState === ws.OPEN) ws.send(text);
  };

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    ari,
    get connections() {
      return sockets.size;
    },
    waitForConnections(count = 1) {
      if (sockets.size >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    emit,
    play(events) {
      for (const { event } of events) emit(event);
    },
    drop() {
      for (const ws of sockets.keys()) ws.terminate();
      sockets.clear();
    },
    refuseConnections(refuse) {
      refusing = refuse;
    },
    async close() {
      for (const ws of sockets.keys()) ws.terminate();
      sockets.clear();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
