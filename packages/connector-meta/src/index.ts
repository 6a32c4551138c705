/**
 * `@hmi/connector-meta`: Meta's Graph API for hospital marketing — Pages and Instagram publishing
 * with a PHI guard, post engagement and comments, Lead Ads leads by signed webhook, Marketing API
 * campaigns and daily insights. Shared Graph pieces are in `./graph`, the MSW fake in `./msw`.
 * @packageDocumentation
 */
export { createMetaConnector, type MetaConnector, metaConnector } from './meta-connector.js';
export { DEFAULT_PRIVATE_REPLY, MetaConfig, type MetaConfigInput, ReplyTemplate } from './meta-config.js';
export type { MetaContext } from './meta-context.js';
// The Graph pieces most hosts need, also here (the full set is under `./graph`).
export { GRAPH_DEFAULT_BASE_URL, GRAPH_DEFAULT_VERSION } from './graph/client.js';
export { classifyGraphError } from './graph/errors.js';
export { answerGraphHandshake } from './graph/handshake.js';
export { paginateGraph } from './graph/paging.js';
export { GRAPH_SIGNATURE_HEADER, signGraphPayload, verifyGraphSignature } from './graph/signature.js';
export { classifyMetaError } from './meta-error.js';
export { GetLeadInput, GetLeadsInput, GetLeadsOutput } from './leads/lead-actions.js';
export { LEAD_FIELDS, toLead, WireLead } from './leads/lead-model.js';
export { CreateCampaignInput, SetCampaignStatusInput } from './campaigns/campaign-actions.js';
export { AdObjectsCheckpoint } from './campaigns/campaigns-stream.js';
export { InsightsCheckpoint } from './campaigns/insights-stream.js';
export {
  INSIGHTS_FIELDS,
  type InsightMetric,
  toCampaign,
  toInsightMetrics,
  WireAdObject,
  WireInsight,
} from './campaigns/marketing-model.js';
export { ReplyResult, ReplyToCommentInput } from './pages/comment-actions.js';
export { PAGE_METRICS, PageInsightsCheckpoint, WirePageInsights } from './pages/page-insights-stream.js';
export { DeletePostInput, PublishPostInput } from './pages/post-actions.js';
export { CommentsCheckpoint, PostsCheckpoint, toPostMetrics, toSocialPost, WirePost } from './pages/posts-stream.js';
export { assertNoPatientData, findPatientIdentifier, KnownPatient } from './pages/privacy.js';
export { type LeadgenEventData, LeadgenChange } from './webhooks/graph-webhook.js';
