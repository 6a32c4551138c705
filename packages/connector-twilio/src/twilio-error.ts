import {
  ApiError,
  AuthError,
  ConsentError,
  type ErrorResponseContext,
  type HmiError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  isHmiError,
  isRetryableStatus,
  parseRetryAfter,
} from '@hmi/core';
import * as v from 'valibot';

/** `Number(value)` when that is an integer (`"21211"` or `21211`), as zod's `z.coerce.number().int()` read it. */
function coercedInt() {
  return v.pipe(
    v.unknown(),
    v.transform((value) => {
      try {
        return Number(value);
      } catch {
        return Number.NaN; // a symbol or an object whose valueOf throws: not a code
      }
    }),
    v.number(),
    v.integer(),
  );
}

/** Twilio's error body. `message` may quote the phone number sent, so it is never used. */
const TwilioErrorBody = v.object({
  code: v.optional(coercedInt()),
  status: v.optional(coercedInt()),
});

/** Twilio REST error codes the connector treats specially. */
export const TwilioErrorCode = {
  /** The `To` number is not a valid phone number. */
  INVALID_TO_NUMBER: 21211,
  /** The recipient replied STOP: Twilio refuses to message them until they reply START. */
  UNSUBSCRIBED_RECIPIENT: 21610,
  /** The `To` number cannot receive SMS (a landline). */
  NOT_SMS_CAPABLE: 21614,
  /** Message body is required. */
  BODY_REQUIRED: 21602,
  /** Authentication failed. */
  AUTHENTICATION: 20003,
  /** The resource was not found. */
  NOT_FOUND: 20404,
  /** Too many requests: refused before processing. */
  TOO_MANY_REQUESTS: 20429,
} as const;

/** What a delivery error code (30003–30008) in a status callback or message resource means. */
export interface DeliveryErrorInfo {
  code: string;
  /** A short description, free of any message data. */
  description: string;
  /** True when resending the same text to the same number will fail again. */
  permanent: boolean;
}

const DELIVERY_ERRORS: Readonly<Record<string, Omit<DeliveryErrorInfo, 'code'>>> = {
  '30001': { description: 'queue overflow', permanent: false },
  '30002': { description: 'account suspended', permanent: true },
  '30003': { description: 'unreachable destination handset', permanent: false },
  '30004': { description: 'message blocked', permanent: true },
  '30005': { description: 'unknown destination handset', permanent: true },
  '30006': { description: 'landline or unreachable carrier', permanent: true },
  '30007': { description: 'carrier violation (message filtered)', permanent: true },
  '30008': { description: 'unknown delivery error', permanent: false },
};

/** Describes a Twilio delivery error code (`30003`–`30008` and neighbours); undefined when unknown. */
export function describeDeliveryError(code: string | number | null | undefined): DeliveryErrorInfo | undefined {
  if (code === null || code === undefined) return undefined;
  const key = String(code);
  const info = DELIVERY_ERRORS[key];
  return info ? { code: key, ...info } : undefined;
}

function vendorCodeOf(body: unknown): number | undefined {
  const parsed = v.safeParse(TwilioErrorBody, body);
  return parsed.success ? parsed.output.code : undefined;
}

/**
 * Classifies a Twilio error response for the core's HTTP client. Messages name the Twilio code,
 * never Twilio's own message text (which can echo the phone number):
 * - 21211, 21614 → ValidationError (`invalid_phone`), not retryable;
 * - 21610 → ConsentError (`opted_out`): the recipient replied STOP. The sending action also reports
 *   a `consent.revoked` event through the consent gate;
 * - 20429 or HTTP 429 → RateLimitError, retryable and `notProcessed`, with Retry-After: Twilio
 *   refused the request before doing anything, so the core retries even a send without a key;
 * - 20003, 401, 403 → AuthError;
 * - 5xx on a POST → ApiError, NOT retryable: Messages has no idempotency key, so Twilio may have
 *   sent the SMS before failing; repeating it could text a patient twice. 5xx on GET → retryable.
 */
export function classifyTwilioError(context: ErrorResponseContext, connector = 'twilio'): HmiError {
  const { status, headers, operation, requestId, method } = context;
  const code = vendorCodeOf(context.body);
  const vendorCode = code === undefined ? undefined : String(code);
  const base = { status, connector, operation, requestId, ...(vendorCode && { vendorCode }) };
  const label = vendorCode ? `Twilio error ${vendorCode}` : `Twilio status ${status}`;

  if (code === TwilioErrorCode.INVALID_TO_NUMBER || code === TwilioErrorCode.NOT_SMS_CAPABLE) {
    return new ValidationError(`${label}: the recipient number cannot receive SMS`, {
      ...base,
      code: 'invalid_phone',
      issues: [{ path: ['to'], code: 'invalid_phone', message: 'not a valid SMS recipient' }],
    });
  }
  if (code === TwilioErrorCode.UNSUBSCRIBED_RECIPIENT) {
    return new ConsentError(`${label}: the recipient has opted out (replied STOP)`, { ...base, reason: 'opted_out' });
  }
  if (code === TwilioErrorCode.TOO_MANY_REQUESTS || status === 429) {
    const retryAfterMs = parseRetryAfter(headers);
    // Twilio refuses a rate-limited request before doing anything: the core may retry even a send.
    return new RateLimitError(`${label}: rate limited`, {
      ...base,
      notProcessed: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (code === TwilioErrorCode.AUTHENTICATION || status === 401 || status === 403) {
    return new AuthError(`${label}: credentials refused`, base);
  }
  if (code === TwilioErrorCode.NOT_FOUND || status === 404) {
    return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
  }
  const retryable = isRetryableStatus(status) && method !== 'POST';
  return new ApiError(`${label}: request failed`, { ...base, retryable });
}

/**
 * After a send whose outcome is unknown (timeout, dropped connection, 5xx, garbled 2xx body), the
 * SMS may already be on its way. Such errors are made non-retryable so no outbox repeats them;
 * the caller should reconcile with `listMessages` / `getMessage` first. Errors that guarantee
 * nothing happened (rate limit, circuit open, consent, validation) pass through unchanged.
 */
export function markSendOutcomeUnknown(error: unknown): unknown {
  // The core already marks such errors `outcomeUnknown` (not retryable); they still get the message.
  if (!isHmiError(error) || error.notProcessed || (!error.retryable && !error.outcomeUnknown)) return error;
  if (RateLimitError.isInstance(error) || ConsentError.isInstance(error) || error.code === 'circuit_open') return error;
  const options = {
    status: error.status,
    connector: error.connector,
    operation: error.operation,
    requestId: error.requestId,
    vendorCode: error.vendorCode,
    retryable: false,
    outcomeUnknown: true,
    cause: error,
  };
  const message = `${error.message}; the SMS may have been sent: reconcile with getMessage/listMessages before resending`;
  if (TimeoutError.isInstance(error)) return new TimeoutError(message, options);
  if (NetworkError.isInstance(error)) return new NetworkError(message, options);
  return new ApiError(message, { ...options, code: error.code });
}
