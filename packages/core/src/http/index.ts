export * from './auth/index.js';
export { type RetryOptions, DEFAULT_RETRY, backoffCeiling, backoffDelay, parseRetryAfter, sleep } from './backoff.js';
export {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitListener,
  type CircuitPermit,
  type CircuitState,
  createCircuitBreaker,
} from './circuit-breaker.js';
export { type RateLimiter, type RateLimitOptions, type RateLimitSlot, createRateLimiter } from './rate-limiter.js';
export { classifyByStatus, isRetryableStatus } from './classify.js';
export { createHttpClient } from './create-http-client.js';
export { appendQuery, resolveUrl, toFormBody } from './url.js';
export { decodeFormBody, type FormValue } from './form-decode.js';
export type * from './types.js';
