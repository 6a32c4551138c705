import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeRequestHeaders, nodeRequestUrl, readNodeBody } from '@hmi/core/internal';

/**
 * A Node request as frameworks hand it over: plain `node:http`, Express (`originalUrl`, and `body`
 * when a body parser ran), Fastify's `request.raw`, Hono's node-server. Set `rawBody` (a Buffer) in
 * your framework's body parser to verify a body that was already read.
 */
export type NodeWebhookRequest = IncomingMessage & { rawBody?: unknown; body?: unknown; originalUrl?: string };

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /** Largest body read from the socket; larger gets 413. Default 1 MiB (keep it ≥ the handler's). */
  maxBodyBytes?: number;
  /**
   * The public origin vendors call, e.g. `https://crm.example-hospital.sa`. Signatures that cover
   * the URL (Twilio's) need it behind a proxy. Default: `x-forwarded-proto`/`-host` when
   * `trustProxy`, else the Host header and the socket's protocol.
   */
  publicOrigin?: string;
  /** Believe `x-forwarded-proto` and `x-forwarded-host`. Default false. */
  trustProxy?: boolean;
}

/** A Node `(req, res)` listener; Express passes `next`, which gets unexpected errors. */
export type NodeWebhookListener = (
  req: NodeWebhookRequest,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

/**
 * Adapts a Fetch-API handler (from `createWebhookHandler`) to Node's `(req, res)`: works with
 * `http.createServer`, Express (`app.post('/webhooks/*', listener)`), Fastify (`listener(request.raw,
 * reply.raw)` with a buffer content parser that sets `rawBody`) and Hono's node-server. The body is
 * read as raw bytes from the socket, or taken from `req.rawBody` (or a Buffer/string `req.body`)
 * when a framework read it first; a body parsed to an object with no raw copy cannot be verified and
 * gets 503 (the vendor retries after you fix the parser).
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): NodeWebhookListener {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return async (req, res, next) => {
    try {
      // A request target no URL can be made of (`POST http://[/webhooks/…`) is the caller's fault.
      const url = nodeRequestUrl(req, options);
      if (url === undefined) {
        req.resume();
        send(res, 400, { error: 'bad_request_target' });
        return;
      }
      // A body a framework parsed to an object has lost the bytes its signature covers.
      const body = await readNodeBody(req, limit, 'refuse');
      if (body === 'too_large' || body === 'unavailable') {
        const status = body === 'too_large' ? 413 : 503;
        send(res, status, { error: body === 'too_large' ? 'too_large' : 'raw_body_unavailable' });
        return;
      }
      const method = req.method ?? 'GET';
      const request = new Request(url, {
        method,
        headers: nodeRequestHeaders(req),
        ...(method !== 'GET' && method !== 'HEAD' && { body: body as unknown as RequestInit['body'] }),
      });
      const response = await handler(request);
      res.statusCode = response.status;
      response.headers.forEach((value, key) => {
        res.setHeader(key, value);
      });
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      if (next) next(error);
      else if (!res.headersSent) send(res, 500, { error: 'internal' });
      else res.end();
    }
  };
}

function send(res: ServerResponse, status: number, body: Record<string, string>) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
