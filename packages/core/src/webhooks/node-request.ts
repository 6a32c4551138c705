// Turning a Node `IncomingMessage` into the parts of a Fetch `Request`: shared by @hmi/flow's
// webhook listener and @hmi/gateway's listener, which differ only in what they do with a body a
// framework parsed already. Types only from node:http, and no Buffer, so the module loads anywhere.
import type { IncomingHttpHeaders } from 'node:http';

/** What both listeners read of a Node request (`node:http`, Express, Fastify's `request.raw`). */
export interface NodeRequestLike extends AsyncIterable<unknown> {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  readableEnded?: boolean;
  socket?: unknown;
  resume(): unknown;
  /** Set by Express. */
  originalUrl?: string;
  /** A framework's body parser ran. */
  body?: unknown;
  /** The raw bytes a framework kept (set it in your body parser to verify a signature). */
  rawBody?: unknown;
}

/** Options of {@link nodeRequestUrl}. */
export interface NodeUrlOptions {
  /** The public origin to resolve the target against, e.g. `https://crm.example-hospital.sa`. */
  publicOrigin?: string;
  /** Believe `x-forwarded-proto` and `x-forwarded-host`. */
  trustProxy?: boolean;
  /** Use Express's `originalUrl` (the full path) before `url`. */
  useOriginalUrl?: boolean;
}

function first(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
}

/**
 * The request's absolute URL, or undefined when its target cannot be parsed as one (a hostile
 * `POST http://[/x`): the caller answers 400, never 500. A bad Host header falls back to localhost.
 */
export function nodeRequestUrl(req: NodeRequestLike, options: NodeUrlOptions = {}): string | undefined {
  const path = (options.useOriginalUrl === false ? undefined : req.originalUrl) ?? req.url ?? '/';
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host || 'localhost';
  for (const base of options.publicOrigin ? [options.publicOrigin] : [`${proto}://${host}`, 'http://localhost']) {
    if (URL.canParse(path, base)) return new URL(path, base).href;
  }
  return undefined;
}

/** The request's headers as Fetch `Headers` (HTTP/2 pseudo-headers dropped, repeats kept). */
export function nodeRequestHeaders(req: Pick<NodeRequestLike, 'headers'>): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.startsWith(':') || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return headers;
}

/** What {@link readNodeBody} does with a body a framework parsed to an object already. */
export type ParsedBodyPolicy =
  /** Serialise it again (fine where the receiver validates the JSON, as the gateway does). */
  | 'reserialize'
  /** Refuse it: a signature covers the raw bytes, which are gone (the caller answers 503). */
  | 'refuse';

/** The raw body, or why there is none. */
export type NodeBody = Uint8Array | 'too_large' | 'unavailable';

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return undefined;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Reads the body as raw bytes, at most `limit` of them (more is `'too_large'`, and the rest of the
 * socket is drained, not buffered), or takes the bytes a framework kept in `rawBody` / a Buffer or
 * string `body`.
 */
export async function readNodeBody(req: NodeRequestLike, limit: number, parsed: ParsedBodyPolicy): Promise<NodeBody> {
  const given = asBytes(req.rawBody) ?? asBytes(req.body);
  if (given) return given.byteLength > limit ? 'too_large' : given;
  if (req.body !== undefined && req.body !== null) {
    if (parsed === 'refuse') return 'unavailable';
    const bytes = new TextEncoder().encode(JSON.stringify(req.body));
    return bytes.byteLength > limit ? 'too_large' : bytes;
  }
  if (req.readableEnded) return new Uint8Array(0);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return 'too_large';
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > limit) {
      req.resume();
      return 'too_large';
    }
    chunks.push(bytes);
  }
  return concat(chunks, size);
}
