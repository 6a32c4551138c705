import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** A verification key: base64 DER (SubjectPublicKeyInfo, as SendGrid shows it), PEM, DER bytes or a KeyObject. */
export type SendGridPublicKey = string | Uint8Array | KeyObject;

/** The header SendGrid puts the base64 DER ECDSA signature in. */
export const SENDGRID_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
/** The header SendGrid puts the signing time (Unix seconds) in. */
export const SENDGRID_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

/** Options of {@link verifySendGridSignature}. */
export interface VerifySendGridSignatureOptions {
  /** The raw request body exactly as received (the trailing CRLF included), as text or bytes. */
  payload: string | Uint8Array;
  /** The `X-Twilio-Email-Event-Webhook-Signature` header: a base64 DER ECDSA signature. */
  signature: string;
  /** The `X-Twilio-Email-Event-Webhook-Timestamp` header: Unix seconds. */
  timestamp: string | number;
  /** The Event Webhook verification key. */
  publicKey: SendGridPublicKey;
  /** How far (seconds, past or future) the timestamp may be from `now`. Default 300. */
  toleranceSec?: number;
  /** The current time: a Date, or epoch milliseconds (a number below 10^11 is read as seconds). Default now. */
  now?: Date | number;
}

/** Why a signature did not verify (for diagnostics; never includes the payload). */
export type SignatureFailure = 'bad_key' | 'bad_signature' | 'bad_timestamp' | 'stale_timestamp' | 'mismatch';

const P256 = 'prime256v1';

/**
 * Reads a verification key. Returns undefined for anything that is not a P-256 public key, so a
 * pasted private key, an RSA key or garbage never verifies anything.
 */
export function parseSendGridPublicKey(key: SendGridPublicKey): KeyObject | undefined {
  try {
    let object: KeyObject;
    if (typeof key === 'string') {
      const text = key.trim();
      if (text.includes('-----BEGIN')) {
        if (!/-----BEGIN PUBLIC KEY-----/.test(text)) return undefined;
        object = createPublicKey({ key: text, format: 'pem' });
      } else {
        const compact = text.replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
        object = createPublicKey({ key: Buffer.from(compact, 'base64'), format: 'der', type: 'spki' });
      }
    } else if (key instanceof Uint8Array) {
      object = createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
    } else {
      object = key;
    }
    if (object.type !== 'public' || object.asymmetricKeyType !== 'ec') return undefined;
    if (object.asymmetricKeyDetails?.namedCurve !== P256) return undefined;
    return object;
  } catch {
    return undefined;
  }
}

function nowSeconds(now: Date | number | undefined): number {
  if (now === undefined) return Date.now() / 1000;
  if (now instanceof Date) return now.getTime() / 1000;
  return now < 1e11 ? now : now / 1000;
}

/**
 * Verifies a signed Event Webhook request and says why when it does not. `verifySendGridSignature`
 * is the boolean form; use this one to log a reason.
 */
export function checkSendGridSignature(
  options: VerifySendGridSignatureOptions,
): { ok: true } | { ok: false; reason: SignatureFailure } {
  try {
    const { payload, signature, timestamp, toleranceSec = 300, now } = options;
    const key = parseSendGridPublicKey(options.publicKey);
    if (!key) return { ok: false, reason: 'bad_key' };
    const stamp = typeof timestamp === 'number' ? String(timestamp) : timestamp;
    // The header is Unix seconds; anything else (a date string, a negative, a fraction) is refused
    // rather than guessed at, because it is also part of the signed bytes.
    if (typeof stamp !== 'string' || !/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'bad_timestamp' };
    const tolerance = Number.isFinite(toleranceSec) && toleranceSec >= 0 ? toleranceSec : 300;
    if (Math.abs(nowSeconds(now) - Number(stamp)) > tolerance) return { ok: false, reason: 'stale_timestamp' };
    if (typeof signature !== 'string') return { ok: false, reason: 'bad_signature' };
    // A P-256 DER signature is at most 72 bytes (96 base64 characters). Base64 is decoded the way
    // Node (and so the official @sendgrid/eventwebhook) does, so both accept the same headers.
    // The DER inside is parsed strictly by OpenSSL: a malformed encoding is refused. (The official
    // library's starkbank-ecdsa does not check the SEQUENCE length, so it accepts a signature whose
    // length byte overstates its content; this verifier refuses that one malformed case.)
    if (signature.length === 0 || signature.length > 1024) return { ok: false, reason: 'bad_signature' };
    const decoded = Buffer.from(signature, 'base64');
    if (decoded.length < 8 || decoded.length > 72) return { ok: false, reason: 'bad_signature' };
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (!(body instanceof Uint8Array)) return { ok: false, reason: 'mismatch' };
    const signed = Buffer.concat([Buffer.from(stamp, 'ascii'), body]);
    const ok = verify('sha256', signed, { key, dsaEncoding: 'der' }, decoded);
    return ok ? { ok: true } : { ok: false, reason: 'mismatch' };
  } catch {
    // OpenSSL throws on some malformed DER; a malformed signature is simply not valid.
    return { ok: false, reason: 'bad_signature' };
  }
}

/**
 * Verifies SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature over the
 * timestamp header followed by the raw body bytes. Returns false — never throws — for a wrong or
 * malformed signature or key, and for a timestamp more than `toleranceSec` from `now` (either
 * way), which stops replays of captured requests.
 *
 * @example
 * verifySendGridSignature({
 *   payload: rawBody, // the exact bytes: do not re-serialise parsed JSON
 *   signature: headers.get('x-twilio-email-event-webhook-signature') ?? '',
 *   timestamp: headers.get('x-twilio-email-event-webhook-timestamp') ?? '',
 *   publicKey: process.env.SENDGRID_WEBHOOK_KEY!,
 * });
 */
export function verifySendGridSignature(options: VerifySendGridSignatureOptions): boolean {
  return checkSendGridSignature(options).ok;
}
