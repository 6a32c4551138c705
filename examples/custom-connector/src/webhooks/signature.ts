import { hmac, timingSafeEqualString } from '@hmi/core';

/** The header the survey service signs webhooks in: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SURVEY_SIGNATURE_HEADER = 'survey-signature';

/** Options of {@link verifySurveySignature}. */
export interface VerifySurveySignatureOptions {
  /** The raw body, exactly as received. */
  payload: Uint8Array | string;
  /** The `Survey-Signature` header. */
  header: string | null | undefined;
  secret: string;
  /** Seconds a timestamp may be away from `now`, either way. Default 300. */
  toleranceSec?: number;
  /** The clock (ms since the epoch). Default `Date.now()`. */
  now?: number;
}

/** Computes the header value the service would send for `payload` at `timestamp` (Unix seconds). */
export function signSurveyPayload(payload: Uint8Array | string, secret: string, timestamp: number): string {
  const body = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  return `t=${timestamp},v1=${hmac('sha256', secret, `${timestamp}.${body}`)}`;
}

/**
 * Whether `header` is a valid signature of `payload`: HMAC-SHA256 over `<t>.<raw body>` with the
 * endpoint secret, compared in constant time, with `t` within `toleranceSec` of now (replays of an
 * old delivery are refused). Never throws: malformed input is simply not valid.
 */
export function verifySurveySignature(options: VerifySurveySignatureOptions): boolean {
  const { header, secret } = options;
  if (typeof header !== 'string' || header.length > 1024 || !secret) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) return false;
    const key = item.slice(0, at).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  if (!t || !/^\d{1,12}$/.test(t)) return false;
  const now = options.now ?? Date.now();
  if (Math.abs(now / 1000 - Number(t)) > (options.toleranceSec ?? 300)) return false;
  const body = typeof options.payload === 'string' ? options.payload : Buffer.from(options.payload).toString('utf8');
  const expected = hmac('sha256', secret, `${t}.${body}`);
  return (parts.get('v1') ?? []).some((candidate) => timingSafeEqualString(candidate, expected));
}
