import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { ConfigError } from '../errors/errors.js';
import {
  type ClosableTransport,
  CREDENTIAL_HEADERS,
  isRedirect,
  isSimpleBody,
  MAX_REDIRECTS,
  type Transport,
  type TransportResponse,
} from './transport.js';

/** The few parts of undici this transport uses (typed here so undici stays an optional peer). */
interface UndiciDispatcher {
  destroy(): Promise<void>;
}
interface UndiciModule {
  request(
    url: URL,
    options: {
      method: string;
      headers: Record<string, string>;
      body?: string | Uint8Array;
      /** An AbortSignal, or an EventEmitter-like object with `aborted`, `reason`, `on`/`once`/`removeListener`. */
      signal: unknown;
      dispatcher: UndiciDispatcher;
    },
  ): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: { arrayBuffer(): Promise<ArrayBuffer>; dump(): Promise<void> };
  }>;
  Agent: new (options: { connections?: number }) => UndiciDispatcher;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliDecompress);

async function decode(buffer: Buffer, encoding: string | undefined): Promise<Buffer> {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzip(buffer);
    case 'deflate':
      return inflate(buffer);
    case 'br':
      return brotli(buffer);
    default:
      return buffer;
  }
}

/**
 * The undici transport (opt-in with `transport: 'undici'`): `undici.request` over a keep-alive
 * Agent owned by one client, redirects followed like the node transport (at most 5 hops,
 * credentials dropped when leaving the origin, no https → http). For hosts that install undici
 * (an optional peer dependency, so the core stays small). Not seen by MSW: tests use the default
 * transport.
 */
export function createUndiciTransport(): ClosableTransport {
  let loaded: Promise<{ undici: UndiciModule; dispatcher: UndiciDispatcher }> | undefined;
  const load = () =>
    (loaded ??= import('undici').then(
      (module) => {
        const undici = module as unknown as UndiciModule;
        return { undici, dispatcher: new undici.Agent({ connections: 128 }) };
      },
      () => {
        loaded = undefined;
        throw new ConfigError('transport "undici" needs the undici package: install it next to @hmi/core', {
          issues: [{ path: ['transport'], code: 'missing_dependency', message: 'undici is not installed' }],
        });
      },
    ));

  const send: Transport = async (request) => {
    if (!isSimpleBody(request.body)) throw new TypeError('the undici transport sends only string or byte bodies');
    const { undici, dispatcher } = await load();
    // Redirects are followed here rather than by undici's interceptor, whose handler wrapping costs
    // more per request than the redirects it rarely follows. Same rules as the node transport.
    let url = request.url;
    let method: string = request.method;
    let body = request.body;
    const sent = request.headers;
    let res: Awaited<ReturnType<UndiciModule['request']>>;
    for (let hop = 0; ; hop++) {
      res = await undici.request(url, {
        method,
        headers: sent,
        ...(body !== undefined && { body }),
        signal: request.cancellation,
        dispatcher,
      });
      const status = res.statusCode;
      const location = res.headers.location;
      if (!isRedirect(status) || typeof location !== 'string' || hop >= MAX_REDIRECTS) break;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        break;
      }
      if (url.protocol === 'https:' && next.protocol !== 'https:') break;
      await res.body.dump().catch(() => {});
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete sent[name];
      if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        delete sent['content-type'];
        delete sent['content-length'];
      }
      url = next;
    }
    const raw = res.headers;
    let headers: Headers | undefined;
    let consumed = false;
    const collect = async (): Promise<Buffer> => {
      if (consumed) throw new TypeError('body already read');
      consumed = true;
      const encoding = raw['content-encoding'];
      return decode(Buffer.from(await res.body.arrayBuffer()), Array.isArray(encoding) ? encoding[0] : encoding);
    };
    const response: TransportResponse = {
      status: res.statusCode,
      get headers() {
        if (!headers) {
          headers = new Headers();
          for (const [name, value] of Object.entries(raw)) {
            if (Array.isArray(value)) for (const v of value) headers.append(name, v);
            else if (value !== undefined) headers.append(name, value);
          }
        }
        return headers;
      },
      header(name) {
        const value = raw[name];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
      text: async () => (await collect()).toString('utf8'),
      bytes: async () => new Uint8Array(await collect()),
      discard: async () => {
        if (consumed) return;
        consumed = true;
        await res.body.dump().catch(() => {});
      },
    };
    return response;
  };

  return {
    send,
    close: () => {
      const current = loaded;
      loaded = undefined;
      void current?.then(({ dispatcher }) => dispatcher.destroy()).catch(() => {});
    },
  };
}
