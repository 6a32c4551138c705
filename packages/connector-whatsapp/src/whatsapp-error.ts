import { ApiError, type ErrorResponseContext, type HmiError, RateLimitError, ValidationError } from '@hmi/core';
import { classifyGraphError, type GraphCodeClassifier } from '@hmi/connector-meta/graph';

/** The WhatsApp Cloud API error codes the connector gives a meaning (Meta: "Cloud API error codes"). */
export const WhatsAppErrorCode = Object.freeze({
  /** Re-engagement message: more than 24 hours since the patient last wrote; send a template. */
  RE_ENGAGEMENT: 131047,
  /** Message undeliverable (not a WhatsApp user, old app, or Meta's own rules): use another channel. */
  UNDELIVERABLE: 131026,
  /** Pair rate limit: too many messages to the same patient in a short time. */
  PAIR_RATE_LIMIT: 131056,
  /** Cloud API throughput reached for the phone number. */
  THROUGHPUT: 130429,
  /** Spam rate limit: the number's messages are being limited. */
  SPAM_RATE_LIMIT: 131048,
  /** Per-user marketing limit ("healthy ecosystem engagement"): Meta chose not to deliver. */
  ECOSYSTEM_LIMIT: 131049,
  /** The patient stopped marketing messages from this business. */
  USER_STOPPED_MARKETING: 131050,
} as const);

/** The `code` of the typed error for a send outside the 24-hour customer-service window. */
export const OUTSIDE_WINDOW = 'outside_service_window';
/** The `code` of the typed error for an undeliverable message (131026): fall back to SMS. */
export const UNDELIVERABLE = 'undeliverable';

/** Whether `code` is a template error: the 132000-series (parameters, missing or paused template). */
export function isTemplateErrorCode(code: number): boolean {
  return code >= 132_000 && code <= 132_999;
}

/** A typed error for a free-form send the 24-hour rule forbids: use an approved template instead. */
export function outsideWindowError(connector: string, extra: { status?: number; vendorCode?: string } = {}): ValidationError {
  return new ValidationError(
    'free-form WhatsApp messages are allowed only within 24 hours of the patient’s last message: send an approved template (sendTemplate)',
    {
      connector,
      code: OUTSIDE_WINDOW,
      ...extra,
      issues: [{ path: ['to'], code: OUTSIDE_WINDOW, message: 'outside the 24-hour customer-service window' }],
    },
  );
}

/**
 * WhatsApp's own codes, asked before the shared Graph mapping: 131047 → ValidationError
 * `outside_service_window`; 131026 → ApiError `undeliverable` (never retried: the host falls back
 * to SMS); 131056 → RateLimitError with `retryAfterMs` = `pairRateLimitRetryMs` (longer than the
 * in-process wait, so the send comes back for rescheduling instead of hammering the same patient);
 * 130429 and 131048 → RateLimitError (the core retries with back-off); 131049/131050 → ApiError,
 * never retried; 132000-series → ValidationError `template_error`, never retried. Meta refused all
 * of these before delivering, so they are `notProcessed`.
 */
export function whatsAppCodes(options: { pairRateLimitRetryMs: number }): GraphCodeClassifier {
  return ({ code, name, base }) => {
    const done = { ...base, notProcessed: true };
    switch (code) {
      case WhatsAppErrorCode.RE_ENGAGEMENT:
        return outsideWindowError(base.connector, { status: base.status, vendorCode: base.vendorCode });
      case WhatsAppErrorCode.UNDELIVERABLE:
        return new ApiError(`${name}: message undeliverable to this recipient`, {
          ...done,
          code: UNDELIVERABLE,
          retryable: false,
        });
      case WhatsAppErrorCode.PAIR_RATE_LIMIT:
        return new RateLimitError(`${name}: too many messages to this recipient; retry later`, {
          ...done,
          code: 'pair_rate_limited',
          retryAfterMs: options.pairRateLimitRetryMs,
        });
      case WhatsAppErrorCode.THROUGHPUT:
      case WhatsAppErrorCode.SPAM_RATE_LIMIT:
        return new RateLimitError(`${name}: WhatsApp throughput limit`, done);
      case WhatsAppErrorCode.ECOSYSTEM_LIMIT:
      case WhatsAppErrorCode.USER_STOPPED_MARKETING:
        return new ApiError(`${name}: Meta did not deliver this marketing message`, {
          ...done,
          code: 'marketing_not_delivered',
          retryable: false,
        });
    }
    if (isTemplateErrorCode(code)) {
      return new ValidationError(`${name}: the template or its parameters were refused`, {
        ...done,
        code: 'template_error',
        retryable: false,
        issues: [{ path: ['template'], code: String(code), message: 'refused by WhatsApp (132000-series)' }],
      });
    }
    return undefined;
  };
}

/**
 * Classifies a WhatsApp Cloud API error response: WhatsApp's codes ({@link whatsAppCodes}), then
 * the shared Graph codes (190 → AuthError `token_expired`, throttling, 100 …). Messages carry
 * numeric codes only, never Meta's text (it may echo the message). The core alone retries.
 */
export function classifyWhatsAppError(
  context: ErrorResponseContext,
  options: { pairRateLimitRetryMs?: number } = {},
): HmiError | undefined {
  return classifyGraphError(context, {
    connector: 'whatsapp',
    label: 'WhatsApp',
    classifyCode: whatsAppCodes({ pairRateLimitRetryMs: options.pairRateLimitRetryMs ?? 60_000 }),
  });
}
