/**
 * Redirects, followed by the pipeline itself on every transport (the fetch transport asks fetch for
 * `redirect: 'manual'`), so that one rule decides which headers may travel to another origin.
 * Internal to the core.
 */

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Redirects followed before the 3xx is returned as it is. */
export const MAX_REDIRECTS = 5;
/** Headers that are credentials whoever set them (fetch drops these on a cross-origin redirect too). */
export const ALWAYS_SECRET_HEADERS: readonly string[] = ['authorization', 'cookie', 'proxy-authorization'];

/** Whether a status is a redirect the transports follow. */
export function isRedirect(status: number): boolean {
  return REDIRECTS.has(status);
}

/** One request on the way: the pipeline's first hop, or a redirect's. Header names are lower-case. */
export interface Hop<Body> {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Body | undefined;
}

/**
 * The hop a redirect leads to, or undefined when it must not be followed: not a redirect, no or
 * unparsable `Location`, too many hops, a scheme other than http(s), an https → http downgrade
 * (never followed: patient data travels only over TLS), or a body that cannot be sent twice.
 *
 * When the target is another origin, every header in `secretHeaders` (credentials the client
 * added: auth strategies' headers and those the caller marked secret) and the
 * {@link ALWAYS_SECRET_HEADERS} are removed, and they stay removed on later hops. 303, and 301/302
 * after a POST, continue as a GET without a body, as fetch does.
 */
export function nextHop<Body>(
  current: Hop<Body>,
  status: number,
  location: string | null | undefined,
  hopsSoFar: number,
  secretHeaders: Iterable<string>,
  replayable: (body: Body) => boolean,
): Hop<Body> | undefined {
  if (!isRedirect(status) || typeof location !== 'string' || hopsSoFar >= MAX_REDIRECTS) return undefined;
  let url: URL;
  try {
    url = new URL(location, current.url);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (current.url.protocol === 'https:' && url.protocol !== 'https:') return undefined;
  const headers = { ...current.headers };
  if (url.origin !== current.url.origin) {
    for (const name of ALWAYS_SECRET_HEADERS) delete headers[name];
    for (const name of secretHeaders) delete headers[name.toLowerCase()];
  }
  let { method, body } = current;
  if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
    method = 'GET';
    body = undefined;
    delete headers['content-type'];
    delete headers['content-length'];
  } else if (body !== undefined && !replayable(body)) {
    return undefined;
  }
  return { method, url, headers, body };
}

/** What {@link followRedirects} needs of a response. */
export interface RedirectableResponse {
  status: number;
  header(name: string): string | null;
  /** Drops the body so the connection can be reused. */
  discard(): Promise<void>;
}

/**
 * Sends `first`, then every hop {@link nextHop} allows, and returns the last response. The one
 * redirect loop of the core: the node and fetch transports both send through it.
 */
export async function followRedirects<Body, R extends RedirectableResponse>(
  first: Hop<Body>,
  secretHeaders: Iterable<string>,
  replayable: (body: Body) => boolean,
  send: (hop: Hop<Body>) => Promise<R>,
): Promise<R> {
  let hop = first;
  for (let hops = 0; ; hops++) {
    const response = await send(hop);
    if (!isRedirect(response.status)) return response;
    const next = nextHop(hop, response.status, response.header('location'), hops, secretHeaders, replayable);
    if (!next) return response;
    await response.discard();
    hop = next;
  }
}
