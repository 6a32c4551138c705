/**
 * `@hmi/gateway`: a documented, secure HTTP API over hmi for the hospital's other systems (website
 * forms, patient app, call centre, ERP, BI). `createGateway()` returns a Fetch handler; adapters
 * mount it in Node, Express, Fastify and Hono. OpenAPI 3.1 at `/openapi.json`, a reference page at
 * `/reference`, RFC 9457 problems, API keys and OAuth 2.0 JWTs, scopes, facility isolation, rate
 * limits, Idempotency-Key, an audit record per call, and live events over SSE.
 * @packageDocumentation
 */
export { createGateway, type Gateway } from './gateway.js';
export type {
  GatewayAuthOptions,
  GatewayFlowOptions,
  GatewayLimits,
  GatewayOptions,
  IntegrationPoint,
  MessageChannel,
  MtlsAuthOptions,
} from './options.js';
export type { ApiKeyInfo, ApiKeys, CreateApiKeyOptions, IssuedApiKey } from './auth/api-keys.js';
export type { JwksDocument, JwtAuthOptions, JwtKeyGetter } from './auth/jwt.js';
export type { GatewayClient } from './auth/types.js';
export { SCOPES, type GatewayScope } from './auth/scopes.js';
export type { RateLimitOptions } from './http/rate-limit.js';
export { PROBLEM_TYPES, problemType, type FieldProblem, type ProblemDetails, type ProblemSlug } from './http/problem.js';
export type { GatewayEvent } from './http/events.js';
export type { OpenApiDocument } from './openapi/document.js';
export type {
  ApiKeyRecord,
  GatewayData,
  IdempotencyBegin,
  IdempotencyRecord,
  StoredConsent,
  StoredContact,
} from './data/types.js';
export { createMemoryGatewayData, type MemoryGatewayDataOptions } from './data/memory.js';
export { createStateStoreGatewayData, type StateStoreGatewayDataOptions } from './data/state-store-data.js';
export {
  toNodeListener,
  type GatewayNodeListener,
  type GatewayNodeOptions,
  type GatewayNodeRequest,
} from './adapters/node.js';
export { toExpress, toFastify, toHono, type FastifyLike } from './adapters/frameworks.js';
export {
  AuditPage,
  ConsentInput,
  ConsentView,
  ContactView,
  ContactWrite,
  DeadLetterPage,
  DeadLetterView,
  IntegrationList,
  IntegrationView,
  LeadInput,
  LeadResult,
  MeView,
  MessageInput,
  MessageResult,
  Problem,
} from './schemas.js';
