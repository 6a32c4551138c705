import {
  ApiError,
  AuthError,
  type ErrorResponseContext,
  type HmiError,
  parseRetryAfter,
  RateLimitError,
  ValidationError,
} from '@hmi/core';
import { z } from 'zod';

/**
 * Moyasar's error body (`{ type, message, errors }`, docs.moyasar.com/api/errors). Only `type` and
 * the field names of `errors` are read: `message` and the field messages may quote what was sent
 * (a card holder's name, a mobile number).
 */
const MoyasarErrorBody = z.object({
  type: z.string().max(64).optional(),
  errors: z.union([z.record(z.string(), z.unknown()), z.string(), z.null()]).optional(),
});

const SAFE_CODE = /^[a-z0-9_]{1,64}$/;
const SAFE_FIELD = /^[a-z0-9_.[\]]{1,64}$/;

/** The vendor `type` of a Moyasar error body, when it is a plain code. */
export function moyasarErrorType(body: unknown): string | undefined {
  const parsed = MoyasarErrorBody.safeParse(body);
  const type = parsed.success ? parsed.data.type : undefined;
  return type !== undefined && SAFE_CODE.test(type) ? type : undefined;
}

/**
 * Classifies a Moyasar error response for the core's HTTP client. The connector never retries:
 * it says what the error is and whether repeating may help, and the core decides.
 * - 400 → ValidationError naming the refused fields (never their values); `used_given_id` → ApiError
 *   `given_id_used` (the payment exists: the create action then reads it back);
 * - 401/403 → AuthError; 404 → ApiError `not_found`; 405 → ApiError `account_inactive` (the entity
 *   is not activated for live payments);
 * - 429 → RateLimitError with Retry-After, flagged `notProcessed` (a rate limit refuses before any
 *   processing, so even a keyless refund may be repeated);
 * - anything else → undefined: the core's default (5xx retryable — for reads and keyed creates
 *   only, by the core's write-safety rule).
 */
export function classifyMoyasarError(context: ErrorResponseContext): HmiError | undefined {
  const { status, headers, operation, requestId } = context;
  const type = moyasarErrorType(context.body);
  const base = { status, connector: 'moyasar', operation, requestId, ...(type && { vendorCode: type }) };
  const label = `Moyasar ${type ?? `status ${status}`}`;
  if (status === 400 && type === 'used_given_id') {
    return new ApiError(`${label}: this given_id already belongs to a payment`, {
      ...base,
      code: 'given_id_used',
      retryable: false,
    });
  }
  if (status === 400) {
    const parsed = MoyasarErrorBody.safeParse(context.body);
    const errors = parsed.success ? parsed.data.errors : undefined;
    const fields = errors && typeof errors === 'object' ? Object.keys(errors).filter((k) => SAFE_FIELD.test(k)) : [];
    return new ValidationError(`${label}: the request was refused${fields.length ? ` (${fields.join(', ')})` : ''}`, {
      ...base,
      code: 'invalid_request',
      issues: fields.length
        ? fields.map((field) => ({ path: field.split('.'), code: type ?? 'invalid_request', message: 'refused by Moyasar' }))
        : [{ path: [], code: type ?? 'invalid_request', message: 'refused by Moyasar' }],
    });
  }
  if (status === 401 || status === 403) return new AuthError(`${label}: credentials refused`, base);
  if (status === 404) return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
  if (status === 405) {
    return new ApiError(`${label}: the account is not activated for this operation`, {
      ...base,
      code: 'account_inactive',
      retryable: false,
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers);
    return new RateLimitError(`${label}: rate limited`, {
      ...base,
      notProcessed: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  return undefined;
}
