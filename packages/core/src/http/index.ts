export {
  type AuthConfig,
  type AuthStrategy,
  type BasicAuth,
  type BearerAuth,
  type CachedToken,
  type HeaderAuth,
  type OAuth2ClientCredentialsAuth,
  type PrivateKeyJwtAuth,
  type TokenCacheOptions,
  type TokenFetchReport,
  type TokenFetchTrigger,
  type TokenUrl,
  TokenCache,
  assertSecureUrl,
  createAuthStrategy,
  isAuthStrategy,
} from './auth/index.js';
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
export type {
  ErrorClassifier,
  ErrorResponseContext,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  QueryValue,
  RawResponse,
  RequestOptions,
} from './types.js';
