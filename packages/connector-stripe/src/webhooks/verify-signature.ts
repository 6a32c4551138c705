import { ConfigError, ValidationError, WebhookVerificationError } from '@hmi/core';
import { nodeCrypto, utf8 } from '../shared/builtins.js';
import type { StripeEvent } from '../shared/objects.js';
import { readStripeEvent } from './event-envelope.js';

/** Options of {@link verifyStripeWebhook}. */
export interface VerifyStripeWebhookOptions {
  /** The request body exactly as received: a string, Buffer or Uint8Array. Never re-serialised JSON. */
  payload: string | Uint8Array | ArrayBuffer;
  /** The `Stripe-Signature` header (`t=…,v1=…[,v1=…]`). */
  signature: string | null | undefined;
  /** The endpoint's signing secret (`whsec_…`), or several while you roll it. */
  secret: string | readonly string[];
  /**
   * How far the signed timestamp may be from now, in seconds, in the past or in the future.
   * Default 300 as Stripe's SDKs. `0` turns the timestamp check off, as in Stripe's SDKs; do that
   * only for offline replays.
   */
  toleranceSec?: number;
  /**
   * The current time: a Date or epoch milliseconds (as `Date.now()` and the SDK's `receivedAt`).
   * Epoch seconds given by mistake read as 1970, so every event is refused: it fails closed.
   */
  now?: number | Date;
}

const MAX_HEADER_LENGTH = 64 * 1024;
function fail(message: string): never {
  throw new WebhookVerificationError(message, { connector: 'stripe', operation: 'verifyStripeWebhook' });
}

function nowSeconds(now: number | Date | undefined): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  const value = now instanceof Date ? now.getTime() : now;
  if (!Number.isFinite(value)) throw new ConfigError('now must be a finite time');
  return Math.floor(value / 1000);
}

/** A string as is (hashed as UTF-8, as Stripe signs it), bytes as a Uint8Array view (no copy). */
function rawBody(payload: unknown): string | Uint8Array {
  if (typeof payload === 'string' || payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  return fail('payload must be the raw request body (a string or bytes), not parsed JSON');
}

type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

/**
 * The text to parse: the very text whose UTF-8 bytes were verified. A string's lone surrogates are
 * hashed as U+FFFD (EF BF BD, as TextEncoder writes them), so they are read as U+FFFD too; bytes
 * must be valid UTF-8, and a byte-order mark is dropped as TextDecoder does.
 */
function verifiedText(body: string | Uint8Array): string {
  if (typeof body !== 'string') return utf8().decode(body);
  const s = body as unknown as WellFormed;
  return s.isWellFormed() ? body : s.toWellFormed();
}

/** Reads `t=` and every `v1=` of a Stripe-Signature header the way Stripe's SDKs do. */
export function parseStripeSignatureHeader(header: unknown): { timestamp: number; signatures: string[] } {
  if (typeof header !== 'string' || header.length === 0) fail('missing Stripe-Signature header');
  if (header.length > MAX_HEADER_LENGTH) fail('malformed Stripe-Signature header');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  // As `header.split(',')` then `item.split('=')` (key = up to the first `=`, value = up to the
  // next `=` or the end of the item), the way Stripe's SDKs read it, without the arrays.
  for (let start = 0; start <= header.length; ) {
    let end = header.indexOf(',', start);
    if (end === -1) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq !== -1 && eq < end) {
      const keyLength = eq - start;
      let valueEnd = header.indexOf('=', eq + 1);
      if (valueEnd === -1 || valueEnd > end) valueEnd = end;
      if (keyLength === 1 && header.charCodeAt(start) === 116 /* t */) {
        timestamp = Number.parseInt(header.slice(eq + 1, valueEnd), 10);
      } else if (keyLength === 2 && header.startsWith('v1', start) && valueEnd > eq + 1) {
        signatures.push(header.slice(eq + 1, valueEnd));
      }
    } else if (end - start === 1 && header.charCodeAt(start) === 116) {
      timestamp = Number.NaN; // `t` without `=`: no timestamp
    }
    start = end + 1;
  }
  if (timestamp === undefined || !Number.isSafeInteger(timestamp)) fail('malformed Stripe-Signature header: no timestamp');
  if (signatures.length === 0) fail('malformed Stripe-Signature header: no v1 signature');
  return { timestamp, signatures };
}

const BLANK = /^\s*$/;

/**
 * Constant-time comparison of the expected hex digest with a candidate: every character is
 * compared whatever the first difference (only the length, public, ends it early), without the two
 * buffers a crypto.timingSafeEqual call needs; Stripe's SDKs compare the same way.
 */
function sameSignature(expected: string, candidate: string): boolean {
  if (candidate.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ candidate.charCodeAt(i);
  return diff === 0;
}

/** The configured secrets that are not blank (one string needs no array copy and no filter pass). */
function usableSecrets(secret: string | readonly string[] | undefined): readonly string[] {
  if (typeof secret === 'string') return BLANK.test(secret) ? [] : [secret];
  return [...(secret ?? [])].filter((s): s is string => typeof s === 'string' && !BLANK.test(s));
}

/**
 * Verifies a Stripe-Signature header over the raw payload: HMAC-SHA256 of `${t}.${payload}` with
 * each secret, compared in constant time with each `v1` signature. Throws a
 * WebhookVerificationError (never anything else for a bad header or signature). Returns the
 * signed timestamp.
 */
export function verifyStripeSignature(
  options: Omit<VerifyStripeWebhookOptions, 'payload'> & { payload: string | Uint8Array },
): number {
  const { payload, signature, toleranceSec = 300 } = options;
  const secrets = usableSecrets(options.secret);
  if (secrets.length === 0) throw new ConfigError('a webhook signing secret is required', { connector: 'stripe' });
  if (typeof toleranceSec !== 'number' || !(toleranceSec >= 0)) {
    throw new ConfigError('toleranceSec must be a non-negative number', { connector: 'stripe' });
  }
  if (payload.length === 0) fail('empty webhook payload');
  const { timestamp, signatures } = parseStripeSignatureHeader(signature);
  const prefix = `${timestamp}.`;
  let matched = false;
  for (const secret of secrets) {
    // A string is hashed as its UTF-8 bytes directly: no copy of the body into a byte array first.
    const expected = nodeCrypto().createHmac('sha256', secret).update(prefix).update(payload).digest('hex');
    // Every signature is compared (no early exit) so timing does not reveal which one matched.
    for (const candidate of signatures) if (sameSignature(expected, candidate)) matched = true;
  }
  if (!matched) fail('no Stripe-Signature v1 signature matches the payload');
  if (toleranceSec > 0) {
    const age = nowSeconds(options.now) - timestamp;
    if (age > toleranceSec) fail('webhook timestamp is older than the tolerance');
    if (-age > toleranceSec) fail('webhook timestamp is further in the future than the tolerance');
  }
  return timestamp;
}

/**
 * Verifies a Stripe webhook and returns its event. The signature is checked over the raw bytes
 * BEFORE anything is parsed; several `v1` signatures and several secrets (rotation) are accepted;
 * a timestamp more than `toleranceSec` in the past or the future is refused. A bad or malformed
 * signature is a WebhookVerificationError; a verified payload that is not a Stripe event is a
 * ValidationError. Neither carries the payload, the header or the secret.
 *
 * Differences from `stripe.webhooks.constructEvent`: future timestamps beyond the tolerance are
 * refused (the SDK only refuses old ones), a non-numeric `t=` is refused (the SDK signs `NaN.`),
 * and the bytes are verified as received (the SDK decodes them to text first).
 */
export function verifyStripeWebhook(options: VerifyStripeWebhookOptions): StripeEvent {
  if (options === null || typeof options !== 'object') throw new ConfigError('verifyStripeWebhook needs options');
  const body = rawBody(options.payload);
  verifyStripeSignature(
    body === options.payload ? (options as typeof options & { payload: typeof body }) : { ...options, payload: body },
  );
  // Only now, the signature verified, is the payload read at all.
  let json: unknown;
  try {
    json = JSON.parse(verifiedText(body));
  } catch {
    throw new ValidationError('verified webhook payload is not UTF-8 JSON', {
      code: 'invalid_webhook_payload',
      connector: 'stripe',
      operation: 'verifyStripeWebhook',
    });
  }
  // The envelope only (id, type, the shape of data.object), checked in place: the parsed JSON is
  // returned itself, as in the SDK's event; each mapping checks the fields it reads.
  return readStripeEvent(json, 'verified webhook payload is not a Stripe event', 'verifyStripeWebhook');
}
