import { ApiError, AuthError, type ErrorResponseContext, type HmiError, ValidationError } from '@hmi/core';

/**
 * Classifies an ARI error response for the core's HTTP client. ARI answers `{ "message": … }`;
 * the message may quote a channel name or number, so it is never used. The connector never
 * retries; the core's single retry layer decides from `retryable`.
 * - 400 → ValidationError, 401/403 → AuthError, 404 → ApiError `not_found` (a channel or bridge
 *   that has gone), 409 → ApiError `conflict` (wrong state, or a channel id already in use),
 *   422 → ValidationError (e.g. an endpoint that does not exist),
 * - anything else → undefined: the core's default (5xx retryable, other 4xx not).
 */
export function classifyAsteriskError(context: ErrorResponseContext): HmiError | undefined {
  const { status, operation, requestId } = context;
  const base = { status, connector: 'asterisk', operation, requestId };
  const label = `Asterisk ARI status ${status}`;
  if (status === 400 || status === 422) {
    return new ValidationError(`${label}: the request was refused`, {
      ...base,
      code: 'invalid_request',
      issues: [{ path: [], code: 'invalid_request', message: 'refused by Asterisk' }],
    });
  }
  if (status === 401 || status === 403) return new AuthError(`${label}: credentials refused`, base);
  if (status === 404) return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
  if (status === 409 || status === 412)
    return new ApiError(`${label}: conflict`, { ...base, code: 'conflict', retryable: false });
  return undefined;
}
