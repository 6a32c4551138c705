import {
  type ConnectorInstanceOptions,
  createConsentGate,
  createKeywordClassifier,
  DEFAULT_OPT_OUT_KEYWORDS,
  defineConnector,
} from '@hmi/core';
import { createGraphClient } from '@hmi/connector-meta/graph';
import { EstimateSendInput, estimateSend, SendEstimate } from './messages/pricing.js';
import { SendTemplateInput, sendTemplate } from './messages/template-actions.js';
import { MarkReadInput, markRead, SendTextInput, sendText } from './messages/text-actions.js';
import { SendResult } from './messages/wire.js';
import { listTemplates } from './templates/templates-stream.js';
import { PACKAGE_VERSION } from './version.js';
import { STOP_PROMOTIONS_WORDS } from './webhooks/map.js';
import { whatsAppEvents } from './webhooks/whatsapp-webhook.js';
import { WhatsAppConfig, type WhatsAppConfigInput } from './whatsapp-config.js';
import { type WhatsAppContext, whatsAppKit } from './whatsapp-context.js';
import { whatsAppCodes } from './whatsapp-error.js';
import { z } from 'zod';

const { action } = whatsAppKit;

/**
 * The WhatsApp connector (Cloud API, Graph version pinned in config): approved templates with the
 * consent gate (channel `whatsapp`), free-form texts only inside the 24-hour window, read receipts,
 * the template list, a cost estimate per send, and the signed webhook with its handshake.
 */
export const whatsAppConnector = defineConnector({
  id: 'whatsapp',
  name: 'WhatsApp Business (Cloud API)',
  category: 'messaging',
  version: PACKAGE_VERSION,
  config: WhatsAppConfig,
  auth: ['bearer'],
  setup(config, runtime): WhatsAppContext {
    const clock = config.now;
    const now = clock ? () => Number(clock()) : Date.now;
    // One Graph client per instance, shared with @hmi/connector-meta's module: usage gate, token,
    // Graph codes, and WhatsApp's own codes asked first.
    const { http, usage, origin } = createGraphClient(runtime, {
      connector: 'whatsapp',
      label: 'WhatsApp',
      accessToken: config.accessToken,
      graphVersion: config.graphVersion,
      baseUrl: config.baseUrl,
      timeoutMs: config.timeoutMs,
      allowInsecureHttp: config.allowInsecureHttp,
      thresholdPct: config.usageThresholdPct,
      maxWaitMs: config.maxWaitMs,
      classifyCode: whatsAppCodes({ pairRateLimitRetryMs: config.pairRateLimitRetryMs }),
      now,
      ...(config.sleep && { sleep: config.sleep }),
    });
    const custom = config.keywords ?? {};
    const keywords = createKeywordClassifier({
      ...custom,
      // "Stop promotions" is WhatsApp's own opt-out button: it stays an opt-out whatever the config.
      optOut: [...(custom.optOut ?? (custom.replace === true ? DEFAULT_OPT_OUT_KEYWORDS : [])), ...STOP_PROMOTIONS_WORDS],
    });
    return {
      connector: 'whatsapp',
      http,
      config,
      usage,
      origin,
      gate: createConsentGate(config.consent ?? {}, 'whatsapp'),
      keywords,
      now,
    };
  },
  async check(ctx, signal) {
    await ctx.http.request({
      path: ctx.config.phoneNumberId,
      query: { fields: 'id' },
      operation: 'check',
      ...(signal && { signal }),
    });
  },
  actions: {
    sendTemplate: action({
      description: 'Send an approved template (MARKETING needs consent; UTILITY reminders are transactional)',
      idempotent: false,
      input: SendTemplateInput,
      output: SendResult,
      run: (input, ctx, call) => sendTemplate(input, ctx, call.signal),
    }),
    sendText: action({
      description: 'Send a free-form text inside the 24-hour customer-service window',
      idempotent: false,
      input: SendTextInput,
      output: SendResult,
      run: (input, ctx, call) => sendText(input, ctx, call.signal),
    }),
    markRead: action({
      description: 'Mark an inbound message read',
      idempotent: true,
      input: MarkReadInput,
      output: z.object({ success: z.boolean() }),
      run: (input, ctx, call) => markRead(input, ctx, call.signal),
    }),
    estimateSend: action({
      description: 'What a send will be billed as (marketing, utility, authentication, service), before sending',
      idempotent: true,
      input: EstimateSendInput,
      output: SendEstimate,
      run: (input, ctx) => estimateSend(input, ctx),
    }),
  },
  streams: { listTemplates },
  webhooks: { events: whatsAppEvents },
});

/** A configured WhatsApp connector. */
export type WhatsAppConnector = ReturnType<typeof whatsAppConnector.create>;

/**
 * Creates a WhatsApp connector instance; the config is validated (a ConfigError names the bad
 * field) and its secrets registered with the instance's redactor.
 */
export function createWhatsAppConnector(config: WhatsAppConfigInput, options?: ConnectorInstanceOptions): WhatsAppConnector {
  return whatsAppConnector.create(config, options);
}
