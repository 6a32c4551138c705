import type * as QueryString from 'node:querystring';
import { hmac, timingSafeEqualString } from '@hmi/core';
import { sha256Hex } from '../sha256.js';

/** Form parameters of a webhook: a repeated name carries an array. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/** Input of {@link verifyTwilioSignature}. */
export interface VerifyTwilioSignatureInput {
  /** The full URL Twilio requested, query string included, exactly as configured in Twilio. */
  url: string;
  /** The form (`application/x-www-form-urlencoded`) parameters of the request. Ignored when `body` is given. */
  params?: TwilioParams;
  /**
   * The raw body of a JSON (or other non-form) request. Twilio then signs only the URL, which
   * carries the body's hex SHA-256 in its `bodySHA256` query parameter.
   */
  body?: string | Uint8Array;
  /** The `X-Twilio-Signature` header. */
  signature: string | null | undefined;
  /** The account's auth token (Twilio signs webhooks with the primary auth token, not API keys). */
  authToken: string;
}

interface UrlParts {
  scheme: string;
  userInfo: string;
  host: string;
  port: string;
  rest: string;
}

/** Splits a URL without normalising it, so path and query keep the exact characters Twilio signed. */
function splitUrl(url: string): UrlParts | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return undefined;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // In an IPv6 literal the port colon comes after the closing bracket.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

function withDefaultPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

function withoutPort(url: string): string {
  const parts = splitUrl(url);
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url;
}

/** Re-encodes the query the way Node's legacy `querystring` does, for back ends that signed `%27` for `'`. */
function withLegacyQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1 || start === url.length - 1) return url;
  // Loaded here, on the rare request that needs it, rather than at import.
  const querystring: typeof QueryString = process.getBuiltinModule('node:querystring');
  return `${url.slice(0, start)}?${querystring.stringify(querystring.parse(url.slice(start + 1)))}`;
}

/**
 * The URLs a signature may have been computed over, in the order Twilio's own libraries try them:
 * the URL as received without and with its default port (Twilio signs whichever form it was
 * configured with, and proxies add or drop `:443`), then the WHATWG-normalised URL (percent-encoded
 * non-ASCII path, lower-cased host) in the same two forms and with a legacy-encoded query. Lazy:
 * the usual request matches on the first or second form and never pays for normalising.
 */
function* candidateUrls(url: string): Generator<string> {
  const seen = new Set<string>();
  const fresh = (candidate: string) => {
    if (seen.has(candidate)) return false;
    seen.add(candidate);
    return true;
  };
  for (const candidate of [withoutPort(url), withDefaultPort(url)]) if (fresh(candidate)) yield candidate;
  let normalised: string;
  try {
    normalised = new URL(url).toString();
  } catch {
    return; // Not a parseable URL: only the as-received forms can match.
  }
  const bare = withoutPort(normalised);
  const ported = withDefaultPort(normalised);
  for (const candidate of [bare, ported, withLegacyQuery(bare), withLegacyQuery(ported)]) if (fresh(candidate)) yield candidate;
}

/**
 * The signature Twilio computes: base64 HMAC-SHA1, keyed by the auth token, of the URL followed by
 * every parameter name and value, names sorted (UTF-16 code unit order); a repeated name
 * contributes each distinct value, sorted, as name+value.
 */
export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (Array.isArray(value)) {
      for (const item of [...new Set(value as readonly string[])].sort()) data += name + item;
    } else {
      data += name + String(value);
    }
  }
  return hmac('sha1', authToken, Buffer.from(data, 'utf8'), 'base64');
}

/** The lower-case hex SHA-256 Twilio puts in `bodySHA256` for a JSON body. */
export function twilioBodyHash(body: string | Uint8Array): string {
  return sha256Hex(body);
}

function bodySha256Of(url: string): string {
  try {
    return new URL(url).searchParams.get('bodySHA256') ?? '';
  } catch {
    return '';
  }
}

/**
 * Verifies Twilio's `X-Twilio-Signature` (HMAC-SHA1 of URL and sorted parameters) with the same
 * rules as Twilio's libraries: the URL with and without its default port (:443 for https, :80 for
 * http); for a JSON body (`body` given) the signature covers the URL only and the URL's
 * `bodySHA256` must equal the body's SHA-256. Comparisons are timing-safe. Returns false — never
 * throws — for a missing or wrong signature, a malformed URL or a non-string auth token.
 */
export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  const { url, signature, authToken } = input;
  // An empty token is still a key to HMAC with, exactly as Twilio's libraries treat it; the
  // connector's config refuses an empty authToken before it can get here.
  if (typeof url !== 'string' || typeof authToken !== 'string') return false;
  const header = typeof signature === 'string' ? signature : '';
  const params = input.body !== undefined ? {} : (input.params ?? {});
  if (params === null || typeof params !== 'object') return false;
  let signed = false;
  for (const candidate of candidateUrls(url)) {
    if (timingSafeEqualString(header, computeTwilioSignature(authToken, candidate, params))) {
      signed = true;
      break;
    }
  }
  if (!signed) return false;
  if (input.body === undefined) return true;
  return timingSafeEqualString(bodySha256Of(url), twilioBodyHash(input.body));
}
