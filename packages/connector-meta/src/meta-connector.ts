import { type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import { createGraphClient } from './graph/client.js';
import { getLead, getLeads } from './leads/lead-actions.js';
import { createCampaign, setCampaignStatus } from './campaigns/campaign-actions.js';
import { ads, adSets, campaigns } from './campaigns/campaigns-stream.js';
import { campaignInsights } from './campaigns/insights-stream.js';
import { MetaConfig, type MetaConfigInput } from './meta-config.js';
import type { MetaContext } from './meta-context.js';
import { classifyTokenError } from './meta-error.js';
import { replyToComment } from './pages/comment-actions.js';
import { deletePost, publishPost } from './pages/post-actions.js';
import { pageInsights } from './pages/page-insights-stream.js';
import { comments, postEngagement, posts } from './pages/posts-stream.js';
import { getLongLivedPageToken } from './tokens/page-token-actions.js';
import { PACKAGE_VERSION } from './version.js';
import { graphEvents } from './webhooks/graph-webhook.js';

/**
 * The Meta connector (Graph API, version pinned in config): Pages and Instagram publishing, post
 * engagement and comments, Lead Ads leads, and Marketing API campaigns and insights, with the
 * signed Page webhook and its subscription handshake.
 */
export const metaConnector = defineConnector({
  id: 'meta',
  name: 'Meta (Facebook, Instagram, Lead Ads, Marketing API)',
  category: 'social',
  version: PACKAGE_VERSION,
  config: MetaConfig,
  auth: ['bearer'],
  setup(config, runtime): MetaContext {
    // One client per instance: usage gate, Graph error classification and the token come with it.
    const { http, usage, origin } = createGraphClient(runtime, {
      connector: 'meta',
      accessToken: config.accessToken,
      graphVersion: config.graphVersion,
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      thresholdPct: config.usageThresholdPct,
      maxWaitMs: config.maxWaitMs,
      ...(config.now && { now: config.now }),
      ...(config.sleep && { sleep: config.sleep }),
    });
    // The token exchange sends other credentials (app secret, a user token) per request: a client
    // without the instance's token, classified like every Graph call.
    const oauthHttp = runtime.createHttpClient({
      baseUrl: `${origin}/${config.graphVersion}`,
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      classifyError: classifyTokenError,
      requestIdHeaders: ['x-fb-trace-id', 'x-fb-request-id'],
      ...(config.sleep && { sleep: config.sleep }),
      ...(config.now && { now: config.now }),
    });
    const addSecret = (value: string) => runtime.telemetry.redactor.addSecret(value);
    return { http, config, usage, origin, oauthHttp, addSecret };
  },
  async check(ctx, signal) {
    await ctx.http.request({ path: 'me', query: { fields: 'id' }, operation: 'check', ...(signal && { signal }) });
  },
  actions: {
    getLead,
    getLeads,
    publishPost,
    deletePost,
    replyToComment,
    createCampaign,
    setCampaignStatus,
    getLongLivedPageToken,
  },
  streams: { posts, postEngagement, pageInsights, comments, campaigns, adSets, ads, campaignInsights },
  webhooks: { events: graphEvents },
});

/** A configured Meta connector. */
export type MetaConnector = ReturnType<typeof metaConnector.create>;

/**
 * Creates a Meta connector instance; the config is validated (a ConfigError names the bad field)
 * and its secrets registered with the instance's redactor.
 */
export function createMetaConnector(config: MetaConfigInput, options?: ConnectorInstanceOptions): MetaConnector {
  return metaConnector.create(config, options);
}
