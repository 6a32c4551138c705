import {
  ApiError,
  AuthError,
  type ErrorClassifier,
  type ErrorResponseContext,
  type HmiError,
  type HmiErrorOptions,
  RateLimitError,
  parseRetryAfter,
  defineErrorMarker,
} from '@hmi/core';
import * as v from 'valibot';
import { strip } from './shared/schema.js';

/** The `error.type` values Stripe documents. */
export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'rate_limit_error'
  | (string & {});

// Only the fields we keep. `message` is deliberately absent: Stripe puts card details and the
// values of bad parameters in it.
/* @__NO_SIDE_EFFECTS__ */
function upTo(max: number) {
  return v.optional(v.pipe(v.string(), v.maxLength(max)));
}
/** The fields of Stripe's error body the classifier keeps (exported for the schema tests only). */
export const StripeErrorBody = strip({
  error: strip({ type: upTo(100), code: upTo(200), decline_code: upTo(200), param: upTo(500) }),
});

// A param is a path of Stripe's own names (`payment_method_data[billing_details][email]`). Anything
// else is dropped rather than risk carrying data, and a key the caller chose (under `metadata`) is
// kept as `*`: callers fill metadata keys with anything, a patient's name included.
const SAFE_PARAM = /^[a-z0-9_]{1,64}(?:\[[a-z0-9_]{0,64}\]){0,8}$/;
// Stripe's types, codes and decline codes are lower-case snake_case words (`card_declined`,
// `parameter_invalid_integer`); no digits, so a phone number or an id cannot pass as a code.
const SAFE_CODE = /^[a-z][a-z_]{0,63}$/;

function safeParam(param: string | undefined): string | undefined {
  if (param === undefined || !SAFE_PARAM.test(param)) return undefined;
  return param.replace(/(metadata)\[[^\]]*\]/g, '$1[*]');
}

const marker = /* @__PURE__ */ defineErrorMarker('StripeApiError');

/**
 * A Stripe API error: the status, Stripe's error `type`, its `code` and `decline_code`, the name of
 * the offending `param` and the `Request-Id`, never Stripe's message (it can quote card details
 * and parameter values). `vendorCode` is the decline code when there is one, else the code.
 */
export class StripeApiError extends ApiError {
  /** @internal */
  readonly [marker.marker] = true;
  /** Stripe's error type, e.g. `card_error`. */
  readonly stripeType: StripeErrorType | undefined;
  /** Stripe's error code, e.g. `card_declined`, `parameter_invalid_integer`. */
  readonly stripeCode: string | undefined;
  /** The card issuer's decline code, e.g. `insufficient_funds`. */
  readonly declineCode: string | undefined;
  /** The name of the parameter Stripe refused (never its value). */
  readonly param: string | undefined;

  constructor(
    message: string,
    options: HmiErrorOptions & { stripeType?: string; stripeCode?: string; declineCode?: string; param?: string } = {},
  ) {
    super(message, options);
    this.name = 'StripeApiError';
    this.stripeType = options.stripeType;
    this.stripeCode = options.stripeCode;
    this.declineCode = options.declineCode;
    this.param = options.param;
  }

  /** True for a StripeApiError from any installed copy of this package. */
  static override isInstance(error: unknown): error is StripeApiError {
    return marker.is(error);
  }

  /** Safe JSON: the Stripe type, code, decline code and param, never Stripe's message. */
  override toJSON() {
    return {
      ...super.toJSON(),
      ...(this.stripeType !== undefined && { stripeType: this.stripeType }),
      ...(this.stripeCode !== undefined && { stripeCode: this.stripeCode }),
      ...(this.declineCode !== undefined && { declineCode: this.declineCode }),
      ...(this.param !== undefined && { param: this.param }),
    };
  }
}

function safeCode(value: string | undefined): string | undefined {
  return value !== undefined && SAFE_CODE.test(value) ? value : undefined;
}

/** Reads `Stripe-Should-Retry`: true, false, or undefined when absent or unreadable. */
function shouldRetryHeader(headers: Headers): boolean | undefined {
  const value = headers.get('stripe-should-retry')?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/**
 * Classifies a Stripe error response for the core's retry layer:
 * - `Stripe-Should-Retry: true|false` decides `retryable` over everything else;
 * - `card_error` (402) is not retried; the decline code and code are kept;
 * - `rate_limit_error` and any 429 (rate limit, lock timeout) → RateLimitError (with Retry-After);
 * - `authentication_error` (401) and `permission_error` (403) → AuthError;
 * - `idempotency_error` and `invalid_request_error` are not retried; the param name is kept;
 * - `api_error`, 409 (a lock or a concurrent request with the same key) and 5xx are retried.
 * The `Request-Id` is on every error. Every POST carries an Idempotency-Key, so a retry is safe.
 */
export const classifyStripeError: ErrorClassifier = (context: ErrorResponseContext): HmiError => {
  const { status, headers, requestId, operation } = context;
  const parsed = v.safeParse(StripeErrorBody, context.body);
  const body: Partial<Record<'type' | 'code' | 'decline_code' | 'param', string>> = parsed.success ? parsed.output.error : {};
  const type = safeCode(body.type);
  const stripeCode = safeCode(body.code);
  const declineCode = safeCode(body.decline_code);
  const param = safeParam(body.param);
  const headerSays = shouldRetryHeader(headers);
  const base = { status, requestId, operation, vendorCode: declineCode ?? stripeCode };
  const codes = [stripeCode, declineCode].filter(Boolean).join('/');
  const what = `${type ?? 'stripe error'} (${status}${codes ? `: ${codes}` : ''})`;

  // Stripe answers 429 for rate limits (type `rate_limit_error`, or `invalid_request_error` with code
  // `rate_limit`) and for lock contention (`lock_timeout`): all mean "slow down and try again".
  if (type === 'rate_limit_error' || status === 429) {
    const retryAfterMs = parseRetryAfter(headers);
    return new RateLimitError(`Stripe rate limit: ${what}`, {
      ...base,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
      retryable: headerSays ?? true,
    });
  }
  if (type === 'authentication_error' || type === 'permission_error' || status === 401 || status === 403) {
    return new AuthError(`Stripe refused the credentials: ${what}`, { ...base, retryable: headerSays ?? false });
  }

  let retryable: boolean;
  if (type === 'card_error' || type === 'idempotency_error') retryable = false;
  // 409: another request with the same key is still in flight (`idempotency_key_in_use`) or a lock
  // was contended; repeating with the same key gets the first request's result, as the SDK does.
  else if (status === 409) retryable = true;
  else if (type === 'invalid_request_error') retryable = false;
  else retryable = type === 'api_error' || status >= 500;
  return new StripeApiError(`Stripe ${what}`, {
    ...base,
    code: type ?? 'api_error',
    retryable: headerSays ?? retryable,
    ...(type !== undefined && { stripeType: type }),
    ...(stripeCode !== undefined && { stripeCode }),
    ...(declineCode !== undefined && { declineCode }),
    ...(param !== undefined && { param }),
  });
};
