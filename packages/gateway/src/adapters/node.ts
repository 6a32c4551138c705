import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeRequestHeaders, nodeRequestUrl, readNodeBody } from '@hmi/core/internal';
import { PROBLEM_TYPES, problemType } from '../http/problem.js';

/** A Node request as frameworks hand it over (`node:http`, Express, Fastify's `request.raw`). */
export type GatewayNodeRequest = IncomingMessage & { body?: unknown; rawBody?: unknown; originalUrl?: string };

/** Options of {@link toNodeListener}. */
export interface GatewayNodeOptions {
  /** Largest body read from the socket (keep it ≥ the gateway's `maxBodyBytes`; larger gets 413). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Believe `x-forwarded-proto`/`-host` (behind your own proxy only). Default false. */
  trustProxy?: boolean;
  /**
   * Use `req.originalUrl` (the full path) instead of `req.url`. Express strips the mount path from
   * `req.url` for `app.use('/api', …)`; with `useOriginalUrl` set `basePath: '/api'` on the gateway.
   */
  useOriginalUrl?: boolean;
}

/** A Node `(req, res, next?)` listener. */
export type GatewayNodeListener = (
  req: GatewayNodeRequest,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

/**
 * Adapts the gateway (any Fetch handler) to Node's `(req, res)`: `http.createServer(listener)`,
 * Express `app.use('/api', listener)`. Streams the response, so `GET /v1/events` works, and aborts
 * the request's signal when the client goes away (closing its event stream).
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: GatewayNodeOptions = {},
): GatewayNodeListener {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return async (req, res, next) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    try {
      const url = nodeRequestUrl(req, { trustProxy: options.trustProxy, useOriginalUrl: options.useOriginalUrl === true });
      if (url === undefined) {
        // A request target no URL can be made of (`GET http://[/v1`) is the client's fault: 400, not 500.
        req.resume();
        res.statusCode = 400;
        res.setHeader('content-type', 'application/problem+json');
        res.end(JSON.stringify({ type: problemType('bad-request'), title: PROBLEM_TYPES['bad-request'].title, status: 400 }));
        return;
      }
      // A body a framework parsed already (express.json()) is serialised again; the gateway validates it.
      const body = await readNodeBody(req, limit, 'reserialize');
      const method = req.method ?? 'GET';
      const headers = nodeRequestHeaders(req);
      // Past the limit the gateway answers 413 itself; it sees a declared length over its own limit.
      if (body === 'too_large') headers.set('content-length', String(limit + 1));
      const request = new Request(url, {
        method,
        headers,
        signal: controller.signal,
        ...(method !== 'GET' &&
          method !== 'HEAD' &&
          body instanceof Uint8Array && { body: body as unknown as RequestInit['body'] }),
      });
      const response = await handler(request);
      res.statusCode = response.status;
      response.headers.forEach((value, key) => {
        res.setHeader(key, value);
      });
      if (!response.body) {
        res.end();
        return;
      }
      res.flushHeaders();
      const reader = response.body.getReader();
      controller.signal.addEventListener('abort', () => void reader.cancel().catch(() => {}), { once: true });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    } catch (error) {
      if (next) next(error);
      else if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/problem+json');
        res.end(JSON.stringify({ type: 'urn:hmi:problem:internal', title: 'The gateway failed', status: 500 }));
      } else res.end();
    }
  };
}
