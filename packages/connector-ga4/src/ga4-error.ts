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

/** Google's error body. Only `status` is read: `message` may echo a filter value the caller sent. */
const GoogleErrorBody = z.object({ error: z.object({ code: z.number().optional(), status: z.string().max(64).optional() }) });

/**
 * Classifies a Google Analytics (Data, Admin, Measurement Protocol) error response. The connector
 * never retries; the core reads `retryable` and `retryAfterMs`.
 * - 429 or `RESOURCE_EXHAUSTED` (quota: tokens per day/hour, concurrent requests) → RateLimitError,
 *   `notProcessed` (the request was refused before any work), with Retry-After when sent;
 * - 400 `INVALID_ARGUMENT` / `FAILED_PRECONDITION` → ValidationError (a bad dimension, a bad filter);
 * - 401 `UNAUTHENTICATED`, 403 `PERMISSION_DENIED` → AuthError;
 * - 404 → ApiError `not_found` (an unknown property);
 * - anything else → the core's default (5xx and `UNAVAILABLE` retryable).
 */
export function classifyGa4Error(context: ErrorResponseContext): HmiError | undefined {
  const { status, headers, operation, requestId } = context;
  const parsed = GoogleErrorBody.safeParse(context.body);
  const vendorCode = parsed.success ? parsed.data.error.status : undefined;
  const base = { status, connector: 'ga4', operation, requestId, ...(vendorCode && { vendorCode }) };
  const label = `Google Analytics ${vendorCode ?? `status ${status}`}`;
  if (status === 429 || vendorCode === 'RESOURCE_EXHAUSTED') {
    // Without Retry-After the core's exponential backoff spaces the retries.
    const retryAfterMs = parseRetryAfter(headers);
    return new RateLimitError(`${label}: quota exhausted`, {
      ...base,
      notProcessed: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (status === 400) {
    return new ValidationError(`${label}: the request was refused`, {
      ...base,
      code: 'invalid_request',
      issues: [{ path: [], code: vendorCode ?? 'INVALID_ARGUMENT', message: 'refused by Google Analytics' }],
    });
  }
  if (status === 401 || status === 403) return new AuthError(`${label}: credentials refused`, base);
  if (status === 404) return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
  return undefined;
}
