import type { ServerResponse } from 'node:http';
import { type GatewayNodeListener, type GatewayNodeOptions, type GatewayNodeRequest, toNodeListener } from './node.js';

type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Express middleware: `app.use('/api', toExpress(gateway))`. Express strips `/api` from `req.url`,
 * so the gateway needs no `basePath` (but set it for the document's `servers` entry if you like,
 * with `useOriginalUrl: true`). Works with or without `express.json()` in front.
 */
export function toExpress(handler: FetchHandler, options: GatewayNodeOptions = {}): GatewayNodeListener {
  return toNodeListener(handler, options);
}

/** The bits of a Fastify instance the plugin uses (no dependency on Fastify's types). */
export interface FastifyLike {
  /** Drops the inherited body parsers (in the plugin's own context). */
  removeAllContentTypeParsers(): void;
  /** Adds a parser; the plugin keeps bodies as raw bytes. */
  addContentTypeParser(
    type: string,
    options: { parseAs: 'buffer'; bodyLimit?: number },
    parser: (request: unknown, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void,
  ): void;
  /** Registers a route for every method. */
  all(
    path: string,
    handler: (
      request: { raw: GatewayNodeRequest; body?: unknown },
      reply: { raw: ServerResponse; hijack(): void },
    ) => Promise<void>,
  ): void;
}

/**
 * A Fastify plugin: `app.register(toFastify(gateway), { prefix: '/api' })` with the gateway created
 * with `basePath: '/api'`. Bodies reach the gateway as raw bytes (the plugin replaces the content
 * parsers in its own encapsulated context), and the reply is hijacked so events can stream.
 */
export function toFastify(handler: FetchHandler, options: GatewayNodeOptions = {}) {
  const listener = toNodeListener(handler, options);
  const plugin = async (fastify: FastifyLike) => {
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBodyBytes ?? 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    const route = async (
      request: { raw: GatewayNodeRequest; body?: unknown },
      reply: { raw: ServerResponse; hijack(): void },
    ) => {
      reply.hijack();
      if (request.body instanceof Uint8Array) request.raw.rawBody = request.body;
      else if (request.raw.rawBody === undefined) request.raw.rawBody = new Uint8Array(0);
      await listener(request.raw, reply.raw);
    };
    fastify.all('/', route);
    fastify.all('/*', route);
  };
  return plugin;
}

/**
 * A Hono handler: `app.all('/api/*', toHono(gateway))` with `basePath: '/api'`, or
 * `app.mount('/api', gateway.fetch)` without one.
 */
export function toHono(handler: FetchHandler) {
  return (c: { req: { raw: Request } }) => handler(c.req.raw);
}
