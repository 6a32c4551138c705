export * from './types.js';
export { createAuthStrategy, isAuthStrategy } from './strategies.js';
export { TokenCache, type CachedToken } from './token-cache.js';
export { assertSecureUrl } from './token-endpoint.js';
