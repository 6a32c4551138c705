import type { IncomingMessage, ServerResponse } from 'node:http';

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
      const body = await bodyOf(req, limit);
      const method = req.method ?? 'GET';
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (key.startsWith(':') || value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
      }
      if (body === 'too_large') headers.set('content-length', String(limit + 1));
      const request = new Request(urlOf(req, options), {
        method,
        headers,
        signal: controller.signal,
        ...(method !== 'GET' && method !== 'HEAD' && body !== 'too_large' && { body: body as unknown as RequestInit['body'] }),
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

async function bodyOf(req: GatewayNodeRequest, limit: number): Promise<Uint8Array | 'too_large'> {
  const given = req.rawBody ?? req.body;
  if (given instanceof Uint8Array) return given.byteLength > limit ? 'too_large' : given;
  if (typeof given === 'string') return new TextEncoder().encode(given);
  // A framework parsed JSON already (express.json()): serialise it again; the gateway validates it.
  if (given !== undefined && given !== null && typeof given === 'object') return new TextEncoder().encode(JSON.stringify(given));
  if (req.readableEnded) return new Uint8Array(0);
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

function first(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
}

function urlOf(req: GatewayNodeRequest, options: GatewayNodeOptions): string {
  const path = (options.useOriginalUrl ? req.originalUrl : undefined) ?? req.url ?? '/';
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  try {
    return new URL(path, `${proto}://${host}`).href;
  } catch {
    return new URL(path, 'http://localhost').href;
  }
}
