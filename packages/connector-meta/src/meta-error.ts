import { AuthError, ConfigError, type ErrorResponseContext, type HmiError } from '@hmi/core';
import { classifyGraphError } from './graph/errors.js';

/**
 * Classifies a Meta Graph error response (see {@link classifyGraphError}: 190 → AuthError,
 * 4/17/32/613/80000-series → RateLimitError after the usage window, 100 → ValidationError, 368 →
 * ApiError `policy_blocked`). The connector never retries; the core does.
 */
export function classifyMetaError(context: ErrorResponseContext): HmiError | undefined {
  return classifyGraphError(context, { connector: 'meta' });
}

/** A ConfigError for an action that needs a config field the instance was created without. */
export function missingConfig(field: string, why: string): ConfigError {
  return new ConfigError(`set ${field} to ${why}`, { connector: 'meta' });
}

/**
 * Classifies an answer of the token exchange: as {@link classifyMetaError}, except that code 1 or
 * 101 there means Meta refused the app id or app secret (an AuthError `invalid_client`, never
 * retried), not a transient fault.
 */
export function classifyTokenError(context: ErrorResponseContext): HmiError | undefined {
  const body = context.body as { error?: { code?: unknown } } | undefined;
  const code = body?.error?.code;
  if (context.operation === 'getLongLivedPageToken' && (code === 1 || code === 101)) {
    return new AuthError(`Meta Graph error ${code}: the app id or app secret was refused`, {
      status: context.status,
      connector: 'meta',
      operation: context.operation,
      code: 'invalid_client',
      vendorCode: String(code),
    });
  }
  return classifyMetaError(context);
}
