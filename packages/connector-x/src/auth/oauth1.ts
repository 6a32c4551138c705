import { createHmac, randomBytes } from 'node:crypto';

/** The credentials of an OAuth 1.0a user-context request. */
export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  /** The user's access token (`oauth_token`). */
  token: string;
  tokenSecret: string;
}

/** What is signed: the method, the URL with its query, and any form-encoded body parameters. */
export interface OAuth1Request {
  method: string;
  url: string | URL;
  /** `application/x-www-form-urlencoded` body parameters (signed); a JSON body is not. */
  form?: ReadonlyArray<readonly [string, string]>;
}

/** Values that are random or time-dependent in a real request; tests pass fixed ones. */
export interface OAuth1Nonce {
  nonce: string;
  /** Unix seconds. */
  timestamp: number;
  /** Default `1.0`. X accepts it; RFC 5849's own example leaves it out (`null`). */
  version?: string | null;
}

/**
 * Percent-encoding of RFC 5849 §3.6: every byte of the UTF-8 form except the unreserved ASCII
 * characters `A-Z a-z 0-9 - . _ ~` is `%XX` with upper-case hex. `encodeURIComponent` leaves
 * `! * ' ( )` alone, so those are encoded here by hand.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The base string URI of RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, no query. */
function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const host = url.hostname.toLowerCase();
  const port = url.port && !((scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443'));
  return `${scheme}//${host}${port ? `:${url.port}` : ''}${url.pathname}`;
}

/**
 * The signature base string (RFC 5849 §3.4.1): method, base URI and the normalised parameters
 * (query, form body and `oauth_*` except the signature), each name and value encoded, sorted by
 * name then value, joined with `&`.
 */
export function oauth1BaseString(request: OAuth1Request, oauthParams: ReadonlyArray<readonly [string, string]>): string {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const pairs: Array<[string, string]> = [];
  // URLSearchParams decodes `+` as a space, which is what §3.4.1.3.1 says for form-encoded query strings.
  for (const [name, value] of url.searchParams) pairs.push([percentEncode(name), percentEncode(value)]);
  for (const [name, value] of request.form ?? []) pairs.push([percentEncode(name), percentEncode(value)]);
  for (const [name, value] of oauthParams) {
    if (name !== 'oauth_signature' && name !== 'realm') pairs.push([percentEncode(name), percentEncode(value)]);
  }
  // Sorted by encoded name, then encoded value, in byte order (§3.4.1.3.2).
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const normalised = pairs.map(([n, v]) => `${n}=${v}`).join('&');
  return [request.method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalised)].join('&');
}

/** HMAC-SHA1 of the base string keyed by `consumerSecret&tokenSecret` (both encoded), base64 (§3.4.2). */
export function oauth1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(baseString)
    .digest('base64');
}

/**
 * The `Authorization: OAuth …` header of a request signed with HMAC-SHA1 in the user context
 * (RFC 5849 §3.5.1). A fresh nonce and the current time are used unless `fixed` gives them.
 */
export function oauth1Header(
  request: OAuth1Request,
  credentials: OAuth1Credentials,
  fixed?: OAuth1Nonce,
  nowMs: number = Date.now(),
): string {
  const version = fixed?.version === undefined ? '1.0' : fixed.version;
  const params: Array<[string, string]> = [
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_nonce', fixed?.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(fixed?.timestamp ?? Math.floor(nowMs / 1000))],
    ['oauth_token', credentials.token],
  ];
  if (version !== null) params.push(['oauth_version', version]);
  const signature = oauth1Signature(oauth1BaseString(request, params), credentials.consumerSecret, credentials.tokenSecret);
  params.push(['oauth_signature', signature]);
  return `OAuth ${params.map(([n, v]) => `${percentEncode(n)}="${percentEncode(v)}"`).join(', ')}`;
}

/**
 * A fetch that signs every attempt just before it is sent: OAuth 1.0a signs the method and the
 * final URL, which only exist per attempt, and each attempt needs its own nonce (X refuses a
 * replayed one). Only JSON and empty bodies are sent, so no body parameters are signed.
 */
export function oauth1Fetch(
  inner: typeof globalThis.fetch,
  credentials: OAuth1Credentials,
  now: () => number,
): typeof globalThis.fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    headers.set('authorization', oauth1Header({ method: request.method, url: request.url }, credentials, undefined, now()));
    return inner(new Request(request, { headers }));
  };
}
