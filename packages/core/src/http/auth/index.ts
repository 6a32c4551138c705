export type {
  AuthConfig,
  AuthStrategy,
  BasicAuth,
  BearerAuth,
  HeaderAuth,
  OAuth2ClientCredentialsAuth,
  PrivateKeyJwtAuth,
  TokenUrl,
} from './types.js';
export { createAuthStrategy, isAuthStrategy } from './strategies.js';
export {
  TokenCache,
  type CachedToken,
  type TokenCacheOptions,
  type TokenFetchReport,
  type TokenFetchTrigger,
} from './token-cache.js';
export { assertSecureUrl } from './token-endpoint.js';
