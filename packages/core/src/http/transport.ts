import type http from 'node:http';
import type https from 'node:https';
import type { Readable } from 'node:stream';
import { nodeHttp, nodeHttps, nodeZlib } from '../internal/builtins.js';
import type { KyInstance } from 'ky';
import { HmiError } from '../errors/hmi-error.js';
import type { Cancellation } from './cancellation.js';
import { followRedirects, type Hop } from './redirect.js';
import { responseTooLarge } from './response-limit.js';
import type { HttpMethod } from './types.js';

/** One HTTP exchange as the pipeline hands it to a transport: body already serialised. */
export interface TransportRequest {
  method: HttpMethod;
  url: URL;
  /** Lower-case header names. The transport may add to it (content-length, accept-encoding). */
  headers: Record<string, string>;
  /** A serialised body, or a stream/Blob/FormData that only the fetch transport can send. */
  body: string | Uint8Array | NonNullable<RequestInit['body']> | undefined;
  /** Cancelled on timeout or caller abort; the transport stops the exchange, body included. */
  cancellation: Cancellation;
  /**
   * Lower-case names of the headers that carry credentials the client added (auth strategies'
   * headers, headers marked secret): removed before a redirect to another origin is followed.
   */
  secretHeaders: readonly string[];
  /** The most body bytes (after decompression) read before the exchange fails. */
  maxResponseBytes: number;
}

/** A response as the pipeline reads it. The body must be consumed or discarded exactly once. */
export interface TransportResponse {
  status: number;
  /** All headers (built lazily by the node transport). */
  readonly headers: Headers;
  /** One header by lower-case name, cheaply. */
  header(name: string): string | null;
  /** The body as UTF-8; rejects with `response_too_large` past the request's cap. */
  text(): Promise<string>;
  /** The body as bytes; rejects with `response_too_large` past the request's cap. */
  bytes(): Promise<Uint8Array>;
  /** Drops the body so the connection can be reused. Never throws. */
  discard(): Promise<void>;
}

/** Sends one exchange. Rejects with the cancellation's reason when cancelled, or a network error. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Whether the node transport can send this body (the others need fetch). */
export function isSimpleBody(body: TransportRequest['body']): body is string | Uint8Array | undefined {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

/** Whether a fetch body can be sent again (for a 307/308): anything but a stream. */
function replayableFetchBody(body: unknown): boolean {
  return !(typeof ReadableStream !== 'undefined' && body instanceof ReadableStream);
}

/** A declared length over the cap fails before any byte is read (only when it is the decoded length). */
function declaredTooLarge(length: string | null, encoding: string | null, limit: number): boolean {
  if (length === null || (encoding !== null && encoding.trim().toLowerCase() !== 'identity')) return false;
  const declared = Number(length);
  return Number.isFinite(declared) && declared > limit;
}

/**
 * The fetch transport: ky (its retry, timeout and error throwing off: the pipeline owns those) over
 * the given fetch, or over `globalThis.fetch` looked up at call time so that request interceptors
 * installed later (MSW) still see the call. The path for edge runtimes, Bun, Deno and browsers.
 * Redirects are asked for as `manual` and followed by the pipeline's own rule
 * ({@link followRedirects}), because fetch drops only `Authorization` when leaving the origin. A
 * runtime that hides redirect targets (browsers answer an opaque redirect) gets a
 * `redirect_not_followed` error instead of a silent hop.
 */
export function createFetchTransport(fetchImpl?: typeof globalThis.fetch): Transport {
  const fetchAtCallTime: typeof globalThis.fetch = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  // ky is loaded on first use: importing it initialises Node's fetch machinery (tens of ms), a cost
  // that clients on the default transport should not pay at import time.
  let client: Promise<KyInstance> | undefined;
  const getClient = () =>
    (client ??= import('ky').then((module) =>
      module.default.create({ retry: 0, timeout: false, throwHttpErrors: false, redirect: 'manual', fetch: fetchAtCallTime }),
    ));
  return async (request) => {
    const ky = await getClient();
    const signal = request.cancellation.signal;
    const first: Hop<NonNullable<RequestInit['body']>> = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body as NonNullable<RequestInit['body']> | undefined,
    };
    return followRedirects(first, request.secretHeaders, replayableFetchBody, async (hop) => {
      const response = await ky(hop.url, {
        method: hop.method,
        headers: hop.headers,
        signal,
        ...(hop.body !== undefined && { body: hop.body }),
      });
      if (response.type === 'opaqueredirect') {
        throw new HmiError('the vendor answered with a redirect this runtime does not reveal; it was not followed', {
          code: 'redirect_not_followed',
          retryable: false,
        });
      }
      return new FetchResponse(response, request.maxResponseBytes);
    });
  };
}

/** A fetch Response behind the TransportResponse interface, read with the size cap. */
class FetchResponse implements TransportResponse {
  readonly status: number;
  constructor(
    private readonly response: Response,
    private readonly limit: number,
  ) {
    this.status = response.status;
  }
  get headers(): Headers {
    return this.response.headers;
  }
  header(name: string): string | null {
    return this.response.headers.get(name);
  }
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }
  async bytes(): Promise<Uint8Array> {
    const { response, limit } = this;
    if (declaredTooLarge(response.headers.get('content-length'), response.headers.get('content-encoding'), limit)) {
      await this.discard();
      throw responseTooLarge(limit, this.status);
    }
    const body = response.body;
    if (!body) return new Uint8Array(0);
    // fetch decodes gzip/br itself, so the bytes counted here are the decompressed ones.
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw responseTooLarge(limit, this.status);
      }
      chunks.push(value);
    }
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
  async discard(): Promise<void> {
    await this.response.body?.cancel().catch(() => {});
  }
}

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /** Sockets per origin. Default 128. */
  maxSockets?: number;
}

/** A transport with a `close()` that destroys its pooled sockets. */
export interface ClosableTransport {
  send: Transport;
  close(): void;
}

/**
 * The default transport: node:http(s) with a keep-alive socket pool owned by one client. It skips
 * the WHATWG Request/Response machinery (the bulk of fetch's per-request cost) and follows fetch's
 * rules where they matter: redirects (at most 5, credentials dropped when leaving the origin, no
 * https → http downgrade), and transparent gzip/deflate/br decoding. Idle pooled sockets do not keep
 * the process alive. `http.request` is looked up at call time so interceptors (MSW) still work.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): ClosableTransport {
  const maxSockets = options.maxSockets ?? 128;
  let httpAgent: http.Agent | undefined;
  let httpsAgent: https.Agent | undefined;
  const agentFor = (url: URL): http.Agent =>
    url.protocol === 'https:'
      ? (httpsAgent ??= new (nodeHttps().Agent)({ keepAlive: true, maxSockets, scheduling: 'lifo' }))
      : (httpAgent ??= new (nodeHttp().Agent)({ keepAlive: true, maxSockets, scheduling: 'lifo' }));

  const once = (hop: Hop<string | Uint8Array>, cancellation: Cancellation, limit: number): Promise<NodeResponse> =>
    new Promise((resolve, reject) => {
      if (cancellation.aborted) {
        reject(cancellation.reason);
        return;
      }
      const { url, body } = hop;
      const headers = hop.headers;
      headers['accept-encoding'] ??= 'gzip, deflate, br';
      if (body !== undefined)
        headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
      else delete headers['content-length'];
      const lib = url.protocol === 'https:' ? nodeHttps() : nodeHttp();
      let req: http.ClientRequest | undefined;
      // One cancel listener for the whole exchange, body included.
      const detach = cancellation.onCancel(() =>
        req?.destroy(cancellation.reason instanceof Error ? cancellation.reason : new Error('aborted')),
      );
      try {
        req = lib.request(
          {
            protocol: url.protocol,
            hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
            port: url.port || undefined,
            path: `${url.pathname}${url.search}`,
            method: hop.method,
            headers,
            agent: agentFor(url),
          },
          (res) => resolve(new NodeResponse(res, cancellation, detach, limit)),
        );
      } catch (error) {
        detach();
        reject(error);
        return;
      }
      req.on('error', (error) => {
        detach();
        reject(cancellation.aborted ? cancellation.reason : error);
      });
      req.end(body);
    });

  const send: Transport = async (request) => {
    const body = request.body;
    if (!isSimpleBody(body)) throw new TypeError('the node transport sends only string or byte bodies');
    const first: Hop<string | Uint8Array> = { method: request.method, url: request.url, headers: request.headers, body };
    return followRedirects(
      first,
      request.secretHeaders,
      () => true,
      (hop) => once(hop, request.cancellation, request.maxResponseBytes),
    );
  };

  return {
    send,
    close: () => {
      httpAgent?.destroy();
      httpsAgent?.destroy();
    },
  };
}

function decoded(res: http.IncomingMessage): Readable {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(nodeZlib().createGunzip());
  if (encoding === 'deflate') return res.pipe(nodeZlib().createInflate());
  if (encoding === 'br') return res.pipe(nodeZlib().createBrotliDecompress());
  return res;
}

/** A node response behind the TransportResponse interface (a class: no closures per response). */
class NodeResponse implements TransportResponse {
  readonly status: number;
  private consumed = false;
  private allHeaders: Headers | undefined;

  constructor(
    private readonly res: http.IncomingMessage,
    private readonly cancellation: Cancellation,
    private readonly detach: () => void,
    private readonly limit: number,
  ) {
    this.status = res.statusCode ?? 0;
  }

  get headers(): Headers {
    if (!this.allHeaders) {
      const headers = new Headers();
      const raw = this.res.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
      this.allHeaders = headers;
    }
    return this.allHeaders;
  }

  header(name: string): string | null {
    const value = this.res.headers[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  async text(): Promise<string> {
    return (await this.collect()).toString('utf8');
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.collect());
  }

  async discard(): Promise<void> {
    if (this.consumed) return;
    this.consumed = true;
    this.detach();
    this.res.resume();
  }

  private collect(): Promise<Buffer> {
    if (this.consumed) return Promise.reject(new TypeError('body already read'));
    this.consumed = true;
    const { res, cancellation, detach, limit } = this;
    if (declaredTooLarge(this.header('content-length'), this.header('content-encoding'), limit)) {
      detach();
      res.destroy();
      return Promise.reject(responseTooLarge(limit, this.status));
    }
    const stream = decoded(res);
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let total = 0;
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        detach();
        reject(cancellation.aborted ? cancellation.reason : error);
      };
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        // Counted after decompression, and stopped at once: a gzip bomb never grows past the cap.
        total += chunk.length;
        if (total > limit) {
          fail(responseTooLarge(limit, this.status));
          res.destroy();
          if (stream !== res) stream.destroy();
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        if (settled) return;
        // A body cut by the timeout (or the caller's abort) may still end cleanly downstream of a
        // decoder: fail with the cancellation's reason, not with a truncated body.
        if (cancellation.aborted) {
          fail(cancellation.reason);
          return;
        }
        settled = true;
        detach();
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
      });
      stream.on('error', fail);
      if (stream !== res) res.on('error', fail);
      // A response cut short (socket destroyed by the timeout or the peer) closes without 'end'.
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('response body ended early'), { code: 'ECONNRESET' }));
      });
    });
  }
}
