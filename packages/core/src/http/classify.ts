import { ApiError, AuthError, RateLimitError } from '../errors/errors.js';
import type { HmiError } from '../errors/hmi-error.js';
import { parseRetryAfter } from './backoff.js';
import type { ErrorResponseContext } from './types.js';

/** Whether a status is worth retrying: 408, 429 and 5xx except 501 (not implemented never heals). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status <= 599);
}

/**
 * The default classification of an error response by status alone: 401/403 → AuthError,
 * 429 → RateLimitError (with Retry-After), everything else → ApiError.
 */
export function classifyByStatus(context: ErrorResponseContext, connector?: string): HmiError {
  const { status, headers, operation, requestId } = context;
  const base = { status, connector, operation, requestId };
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers);
    return new RateLimitError(`rate limited (429)`, { ...base, ...(retryAfterMs !== undefined && { retryAfterMs }) });
  }
  if (status === 401 || status === 403) {
    return new AuthError(`request refused (${status})`, base);
  }
  const retryable = isRetryableStatus(status);
  // A 503 (or any retryable status) may say when to come back.
  const retryAfterMs = retryable ? parseRetryAfter(headers) : undefined;
  return new ApiError(`request failed with status ${status}`, {
    ...base,
    retryable,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}
