import { ConfigError, type ErrorResponseContext, type HmiError } from '@hmi/core';
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
