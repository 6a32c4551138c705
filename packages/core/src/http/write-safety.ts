/**
 * Write safety: which requests may be repeated, and which failures leave a write's outcome unknown.
 * Decided here once for every connector: a connector's classifier says what the vendor answered
 * (`retryable`, `notProcessed`), this stage decides whether the write may have taken effect.
 * Internal to the core.
 */
import type { HmiError } from '../errors/hmi-error.js';
import { markOutcomeUnknown } from '../errors/internal.js';
import { RESPONSE_TOO_LARGE } from './response-limit.js';
import type { HttpMethod, RequestOptions } from './types.js';

const NON_IDEMPOTENT: ReadonlySet<string> = new Set(['POST', 'PATCH']);
/** Socket errors that mean no connection was made, so the request cannot have reached the vendor. */
const NOT_CONNECTED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A POST or PATCH with no idempotency key and not declared `idempotent`: an error after it was sent
 * (other than one the vendor flags `notProcessed`) leaves its outcome unknown.
 */
export function isUnsafeWrite(method: HttpMethod, req: Pick<RequestOptions, 'idempotencyKey' | 'idempotent'>): boolean {
  return NON_IDEMPOTENT.has(method) && req.idempotencyKey === undefined && req.idempotent !== true;
}

/** Failures that say the vendor is unwell (they count towards opening the circuit). */
export function isOutage(error: HmiError): boolean {
  if (error.code === 'network_error' || error.code === 'timeout') return true;
  return error.status !== undefined && error.status >= 500;
}

/**
 * Failures after which a write may have been carried out even when the classifier called them
 * final (a connector may already make a 5xx on POST non-retryable): timeouts, dropped connections,
 * 5xx other than 501, and a 2xx whose body could not be read (too large). The flag must still be
 * set so outboxes know to reconcile.
 */
export function mayHaveActed(error: HmiError): boolean {
  if (error.code === RESPONSE_TOO_LARGE) return true;
  return isOutage(error) && error.status !== 501;
}

/** Whether a transport error says no connection was ever made (so nothing was sent). */
export function neverConnected(raw: unknown): boolean {
  for (let error = raw, depth = 0; error && typeof error === 'object' && depth < 3; depth++) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
    error = (error as { cause?: unknown }).cause;
  }
  return false;
}

/** What the write-safety decision needs to know about one failed exchange. */
export interface WriteFacts {
  /** The request is an unsafe write ({@link isUnsafeWrite}). */
  unsafe: boolean;
  /** The exchange was handed to the transport (it may have reached the vendor). */
  sent: boolean;
  /**
   * The caller's hint for reconciling this write (`RequestOptions.reconcile`): added to the message
   * when the outcome is unknown, so whoever holds the error knows how to check.
   */
  reconcile?: string | undefined;
}

/**
 * Marks `error` `outcomeUnknown` (and not retryable) when a write reached the wire and failed in a
 * way that could have healed or that may have acted: it must not be repeated, by the core or by an
 * outbox that trusts `retryable`. Returns whether it did. The error was created for this one
 * request (by the core or the connector's classifier), so it is changed in place.
 */
export function applyWriteSafety(error: HmiError, facts: WriteFacts): boolean {
  if (!facts.unsafe || !facts.sent || error.notProcessed) return false;
  if (!error.outcomeUnknown && !error.retryable && !mayHaveActed(error)) return false;
  markOutcomeUnknown(error);
  if (facts.reconcile && !error.message.includes(facts.reconcile)) {
    error.message = `${error.message}; the write may have taken effect: ${facts.reconcile}`;
  }
  return true;
}
