import { hmac, timingSafeEqualString } from '@hmi/core';

/** The header Meta signs webhook deliveries in: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const GRAPH_SIGNATURE_HEADER = 'x-hub-signature-256';

/** Computes the `X-Hub-Signature-256` value Meta sends for `payload` signed with the app secret. */
export function signGraphPayload(payload: Uint8Array | string, appSecret: string): string {
  return `sha256=${hmac('sha256', appSecret, typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload)}`;
}

/**
 * Whether `header` is Meta's signature of `payload`: `sha256=` + HMAC-SHA256 over the raw body
 * bytes (never re-serialised JSON: Meta escapes non-ASCII as `\uXXXX`, so any re-encoding breaks
 * the match) with the app secret, compared in constant time. Never throws: malformed input is
 * simply not valid.
 */
export function verifyGraphSignature(
  payload: Uint8Array | string,
  header: string | null | undefined,
  appSecret: string,
): boolean {
  if (typeof header !== 'string' || !appSecret || header.length !== 71) return false;
  if (!header.startsWith('sha256=')) return false;
  const expected = signGraphPayload(payload, appSecret);
  // Hex digests compare case-insensitively; lower-casing a fixed-length string leaks nothing.
  return timingSafeEqualString(`sha256=${header.slice(7).toLowerCase()}`, expected);
}
