import { hmac, timingSafeEqualString } from '@hmi/core';

/** The header Meta signs webhook deliveries in: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export const GRAPH_SIGNATURE_HEADER = 'x-hub-signature-256';

/** Computes the `X-Hub-Signature-256` value Meta sends for `payload` signed with the app secret. */
export function signGraphPayload(payload: Uint8Array | string, appSecret: string): string {
  return `sha256=${hmac('sha256', appSecret, typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload)}`;
}

/** Options form of {@link verifyGraphSignature}. */
export interface VerifyGraphSignatureOptions {
  /** The raw body, exactly as received. */
  payload: Uint8Array | string;
  /** The `X-Hub-Signature-256` header. */
  header: string | null | undefined;
  /** The app secret. */
  secret: string;
}

/**
 * Whether `header` is Meta's signature of `payload`: `sha256=` + HMAC-SHA256 over the raw body
 * bytes (never re-serialised JSON: Meta escapes non-ASCII as `\uXXXX`, so any re-encoding breaks
 * the match) with the app secret, compared in constant time. Never throws: malformed input is
 * simply not valid. Takes `(payload, header, appSecret)` or one options object.
 */
export function verifyGraphSignature(options: VerifyGraphSignatureOptions): boolean;
export function verifyGraphSignature(payload: Uint8Array | string, header: string | null | undefined, appSecret: string): boolean;
export function verifyGraphSignature(
  first: Uint8Array | string | VerifyGraphSignatureOptions,
  header?: string | null,
  appSecret?: string,
): boolean {
  const options: VerifyGraphSignatureOptions =
    typeof first === 'string' || first instanceof Uint8Array ? { payload: first, header, secret: appSecret ?? '' } : first;
  const { payload, secret } = options;
  const value = options.header;
  if (typeof value !== 'string' || typeof secret !== 'string' || !secret || value.length !== 71) return false;
  if (!value.startsWith('sha256=')) return false;
  // Byte for byte: Meta sends lower-case hex, and any changed byte of the header is a refusal.
  return timingSafeEqualString(value, signGraphPayload(payload, secret));
}
