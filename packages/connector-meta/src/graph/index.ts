/**
 * `@hmi/connector-meta/graph`: the Graph API pieces Meta's connectors share (this package and
 * `@hmi/connector-whatsapp`): webhook signature and subscription handshake, cursor paging that
 * only follows `next` on the configured origin, error classification and the usage-header gate.
 * @packageDocumentation
 */
export {
  createGraphClient,
  GRAPH_DEFAULT_BASE_URL,
  GRAPH_DEFAULT_VERSION,
  type GraphClient,
  type GraphClientOptions,
} from './client.js';
export { type GraphBatchGet, type GraphBatchResult, graphBatchGet } from './batch.js';
export {
  type ClassifyGraphErrorOptions,
  classifyGraphError,
  type GraphCodeClassifier,
  type GraphCodeInfo,
  isGraphThrottleCode,
} from './errors.js';
export { answerGraphHandshake } from './handshake.js';
export { type GraphPageResult, GraphPaging, graphPage, type PaginateGraphOptions, paginateGraph } from './paging.js';
export {
  GRAPH_SIGNATURE_HEADER,
  signGraphPayload,
  type VerifyGraphSignatureOptions,
  verifyGraphSignature,
} from './signature.js';
export { createUsageGate, type GraphUsage, parseGraphUsage, type UsageGate, type UsageGateOptions } from './usage.js';
