import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { KyInstance } from 'ky';
import type { Cancellation } from './cancellation.js';
import type { HttpMethod } from './types.js';

/** One HTTP exchange as the pipeline hands it to a transport: body already serialised. */
export interface TransportRequest {
  method: HttpMethod;
  url: URL;
  /** Lower-case header names. The transport may add to it (content-length, accept-encoding). */
  headers: Record<string, string>;
  /** A serialised body, or a stream/Blob/FormData that only the fetch transport can send. */
  body: string | Uint8Array | BodyInit | undefined;
  /** Cancelled on timeout or caller abort; the transport stops the exchange, body included. */
  cancellation: Cancellation;
}

/** A response as the pipeline reads it. The body must be consumed or discarded exactly once. */
export interface TransportResponse {
  status: number;
  /** All headers (built lazily by the node transport). */
  readonly headers: Headers;
  /** One header by lower-case name, cheaply. */
  header(name: string): string | null;
  text(): Promise<string>;
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

/**
 * The fetch transport: ky (its retry, timeout and error throwing off: the pipeline owns those) over
 * the given fetch, or over `globalThis.fetch` looked up at call time so that request interceptors
 * installed later (MSW) still see the call.
 */
export function createFetchTransport(fetchImpl?: typeof globalThis.fetch): Transport {
  const fetchAtCallTime: typeof globalThis.fetch = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  // ky is loaded on first use: importing it initialises Node's fetch machinery (tens of ms), a cost
  // that clients on the default transport should not pay at import time.
  let client: Promise<KyInstance> | undefined;
  const getClient = () =>
    (client ??= import('ky').then((module) =>
      module.default.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch: fetchAtCallTime }),
    ));
  return async (request) => {
    const response = await (await getClient())(request.url, {
      method: request.method,
      headers: request.headers,
      signal: request.cancellation.signal,
      ...(request.body !== undefined && { body: request.body as BodyInit }),
    });
    return {
      status: response.status,
      headers: response.headers,
      header: (name) => response.headers.get(name),
      text: () => response.text(),
      bytes: async () => new Uint8Array(await response.arrayBuffer()),
      discard: async () => {
        await response.body?.cancel().catch(() => {});
      },
    };
  };
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Redirects followed before the 3xx is returned as it is. */
export const MAX_REDIRECTS = 5;
/** Headers fetch drops when a redirect leaves the origin; so do we. */
export const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'cookie', 'proxy-authorization'];
/** Whether a status is a redirect the transports follow. */
export function isRedirect(status: number): boolean {
  return REDIRECTS.has(status);
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
      ? (httpsAgent ??= new https.Agent({ keepAlive: true, maxSockets, scheduling: 'lifo' }))
      : (httpAgent ??= new http.Agent({ keepAlive: true, maxSockets, scheduling: 'lifo' }));

  const once = (
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
    cancellation: Cancellation,
  ): Promise<{ res: http.IncomingMessage; detach: () => void }> =>
    new Promise((resolve, reject) => {
      if (cancellation.aborted) {
        reject(cancellation.reason);
        return;
      }
      const lib = url.protocol === 'https:' ? https : http;
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
            method,
            headers,
            agent: agentFor(url),
          },
          (res) => resolve({ res, detach }),
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
    if (!isSimpleBody(request.body)) throw new TypeError('the node transport sends only string or byte bodies');
    let url = request.url;
    let method: string = request.method;
    let body = request.body;
    const headers = request.headers;
    headers['accept-encoding'] ??= 'gzip, deflate, br';
    for (let hop = 0; ; hop++) {
      if (body !== undefined)
        headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
      else delete headers['content-length'];
      const { res, detach } = await once(method, url, headers, body, request.cancellation);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (!isRedirect(status) || typeof location !== 'string' || hop >= MAX_REDIRECTS)
        return wrap(res, request.cancellation, detach);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return wrap(res, request.cancellation, detach);
      }
      if (url.protocol === 'https:' && next.protocol !== 'https:') return wrap(res, request.cancellation, detach);
      res.resume();
      detach();
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      url = next;
    }
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
  if (encoding === 'gzip' || encoding === 'x-gzip') return res.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return res.pipe(zlib.createInflate());
  if (encoding === 'br') return res.pipe(zlib.createBrotliDecompress());
  return res;
}

function wrap(res: http.IncomingMessage, cancellation: Cancellation, detach: () => void): TransportResponse {
  return new NodeResponse(res, cancellation, detach);
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
    const { res, cancellation, detach } = this;
    const stream = decoded(res);
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        detach();
        reject(cancellation.aborted ? cancellation.reason : error);
      };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
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
