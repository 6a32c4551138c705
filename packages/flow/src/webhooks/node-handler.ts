import type { IncomingMessage, ServerResponse } from 'node:http';

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
      const url = urlOf(req, options);
      if (url === undefined) {
        req.resume();
        send(res, 400, { error: 'bad_request_target' });
        return;
      }
      const body = await rawBodyOf(req, limit);
      if (body === 'too_large' || body === 'unavailable') {
        const status = body === 'too_large' ? 413 : 503;
        send(res, status, { error: body === 'too_large' ? 'too_large' : 'raw_body_unavailable' });
        return;
      }
      const method = req.method ?? 'GET';
      const request = new Request(url, {
        method,
        headers: headersOf(req),
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

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return undefined;
}

async function rawBodyOf(req: NodeWebhookRequest, limit: number): Promise<Uint8Array | 'too_large' | 'unavailable'> {
  const given = asBytes(req.rawBody) ?? asBytes(req.body);
  if (given) return given.byteLength > limit ? 'too_large' : given;
  if (req.readableEnded || (req.body !== undefined && req.body !== null)) {
    return req.readableEnded && (req.body === undefined || req.body === null) ? new Uint8Array(0) : 'unavailable';
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return 'too_large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.byteLength;
    if (size > limit) {
      req.resume();
      return 'too_large';
    }
    chunks.push(buf);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.startsWith(':') || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return headers;
}

function first(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
}

/** The request's absolute URL, or undefined when the target cannot be parsed as one. */
function urlOf(req: NodeWebhookRequest, options: NodeHandlerOptions): string | undefined {
  const path = req.originalUrl ?? req.url ?? '/';
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  // A bad Host header falls back to localhost; a bad target has no fallback.
  for (const base of options.publicOrigin ? [options.publicOrigin] : [`${proto}://${host}`, 'http://localhost']) {
    const url = URL.canParse(path, base) ? new URL(path, base) : undefined;
    if (url) return url.href;
  }
  return undefined;
}
