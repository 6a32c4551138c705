/**
 * `@hmi/core/internal`: the building blocks the core is made of, shared with hmi's own packages
 * (connectors, `@hmi/flow`, `@hmi/cli`). A host application never needs them. They may change in
 * any release: nothing here follows semver.
 * @packageDocumentation
 */
export { scrubMessage } from '../errors/hmi-error.js';
export { markOutcomeUnknown, scrubCause } from '../errors/internal.js';
export {
  type CachedToken,
  type CircuitBreaker,
  type CircuitListener,
  type CircuitPermit,
  type RateLimiter,
  type RateLimitSlot,
  type TokenCacheOptions,
  type TokenFetchReport,
  type TokenFetchTrigger,
  DEFAULT_RETRY,
  TokenCache,
  appendQuery,
  assertSecureUrl,
  createAuthStrategy,
  isAuthStrategy,
  backoffCeiling,
  backoffDelay,
  createCircuitBreaker,
  createRateLimiter,
  resolveUrl,
  sleep,
  toFormBody,
} from '../http/index.js';
export { decodeFormBody, type FormValue } from '../http/form-decode.js';
export { Hook } from '../telemetry/hooks.js';
export { isWebhookRequest, toWebhookRequest } from '../webhooks/types.js';
export {
  type NodeBody,
  type NodeRequestLike,
  type NodeUrlOptions,
  type ParsedBodyPolicy,
  nodeRequestHeaders,
  nodeRequestUrl,
  readNodeBody,
} from '../webhooks/node-request.js';
export { collectMarkedKeys, fieldMeta, hmiRegistry } from '../model/registry.js';
export { runSchema, type SchemaResult } from '../schema/standard.js';
export { nodeCrypto, nodeHttp, nodeHttps, nodeZlib } from './builtins.js';
export { canonicalPhiKeys } from '../model/phi-keys.js';
export { inQuietHours, localMinutes } from '../consent/consent.js';
