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

/** The API's error body. Only `code` is read: `message` and `param` may echo what was sent (PHI). */
const SurveyErrorBody = z.object({ error: z.object({ code: z.string().max(64) }) });

/**
 * Classifies a Clinic Survey error response for the core's HTTP client. The connector never
 * retries: it says what the error is and whether repeating the call may help (`retryable`), and
 * the core's single retry layer decides. Messages name the vendor code, never its text.
 * - 400 → ValidationError (not retryable), 401/403 → AuthError, 404 → ApiError `not_found`,
 * - 409 `idempotency_conflict` → ApiError (a key reused with another body; not retryable),
 * - 429 → RateLimitError with the server's Retry-After, flagged `notProcessed` (the service refused
 *   it before doing anything, so the core may retry even a write sent without a key),
 * - anything else → undefined: the core's default (5xx retryable, other 4xx not).
 */
export function classifySurveyError(context: ErrorResponseContext): HmiError | undefined {
  const { status, headers, operation, requestId } = context;
  const parsed = SurveyErrorBody.safeParse(context.body);
  const vendorCode = parsed.success ? parsed.data.error.code : undefined;
  const base = { status, connector: 'clinic-survey', operation, requestId, ...(vendorCode && { vendorCode }) };
  const label = `Clinic Survey ${vendorCode ?? `status ${status}`}`;
  if (status === 400) {
    return new ValidationError(`${label}: the request was refused`, {
      ...base,
      code: 'invalid_request',
      issues: [{ path: [], code: vendorCode ?? 'invalid_request', message: 'refused by the survey service' }],
    });
  }
  if (status === 401 || status === 403) return new AuthError(`${label}: credentials refused`, base);
  if (status === 404) return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
  if (status === 409) return new ApiError(`${label}: conflict`, { ...base, code: 'conflict', retryable: false });
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
