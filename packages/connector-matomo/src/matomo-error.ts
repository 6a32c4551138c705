import { ApiError, AuthError, type ErrorResponseContext, type HmiError, ValidationError } from '@hmi/core';

/**
 * Classifies a Matomo error. Matomo answers most API errors with HTTP 200 and
 * `{"result":"error","message":"…"}`, so actions call this on such bodies too. The message is read
 * only to pick the class (it may echo a parameter), never copied into the error.
 * - token or permission messages → AuthError;
 * - other API errors (unknown method, bad date, bad idSite) → ValidationError, not retryable;
 * - HTTP 401/403 → AuthError; 5xx → the core's default (retryable).
 */
export function classifyMatomoError(context: ErrorResponseContext): HmiError | undefined {
  const { status, operation, requestId } = context;
  const base = { status, connector: 'matomo', operation, requestId };
  if (status === 401 || status === 403) return new AuthError(`Matomo status ${status}: credentials refused`, base);
  const body = context.body as { result?: unknown; message?: unknown } | undefined;
  if (body && typeof body === 'object' && body.result === 'error') {
    const message = typeof body.message === 'string' ? body.message : '';
    if (/token_auth|access|permission|authenticat|log ?in/i.test(message)) {
      return new AuthError('Matomo refused the token_auth for this request', { ...base, vendorCode: 'access' });
    }
    return new ValidationError('Matomo refused the request', {
      ...base,
      code: 'invalid_request',
      vendorCode: 'api_error',
      issues: [{ path: [], code: 'api_error', message: 'refused by Matomo' }],
    });
  }
  if (status === 404) return new ApiError('Matomo status 404: not found', { ...base, code: 'not_found', retryable: false });
  return undefined;
}
