import { twilioKit } from './twilio-context.js';
import { ConfigError, type ConnectorInstanceOptions, Message, createConsentGate, defineConnector } from '@hmi/core';
import { normalizePhone } from '@hmi/phone';
import { FindSentMessageInput, FindSentMessageOutput, findSentMessage } from './messages/find-sent-message.js';
import { GetMessageInput, ListMessagesCheckpoint, getMessage, readMessages } from './messages/read-messages.js';
import { SendSmsInput, SendTemplatedSmsInput, sendSms, sendTemplatedSms } from './messages/send-sms.js';
import { createKeywordClassifier } from './sms/keywords.js';
import { TwilioConfig, type TwilioConfigInput } from './twilio-config.js';
import type { TwilioContext } from './twilio-context.js';
import { classifyTwilioError } from './twilio-error.js';
import { mapInboundSms, mapStatusCallback, receiveInboundSms, receiveStatusCallback } from './webhooks/handlers.js';
import { PACKAGE_VERSION } from './version.js';

/** The connector package's version. */
export const TWILIO_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/** Phone-number senders are normalised; short codes and alphanumeric sender IDs are kept. */
function normaliseSender(from: string | undefined, defaultRegion: string | undefined): string | undefined {
  if (from === undefined) return undefined;
  if (/[A-Za-z]/.test(from) || from.replace(/\D/g, '').length <= 8) return from;
  return normalizePhone(from, { defaultRegion });
}

/**
 * The Twilio SMS connector definition (contract v1). Use {@link createTwilioConnector} for an
 * instance, or `twilioConnector.create(config, options)`.
 */
export const twilioConnector = defineConnector({
  id: 'twilio',
  name: 'Twilio SMS',
  category: 'messaging',
  version: TWILIO_CONNECTOR_VERSION,
  config: TwilioConfig,
  auth: ['basic:accountSid+authToken', 'basic:apiKeySid+apiKeySecret'],
  setup(config, runtime): TwilioContext {
    const connector = runtime.connector;
    const username = config.apiKeySid ?? config.accountSid;
    const password = (config.apiKeySecret ?? config.authToken) as string;
    const http = runtime.createHttpClient({
      baseUrl: config.baseUrl,
      allowInsecureHttp: config.allowInsecureHttp,
      timeoutMs: config.timeoutMs,
      auth: { type: 'basic', username, password },
      classifyError: (context) => classifyTwilioError(context, connector),
    });
    let from: string | undefined;
    try {
      from = normaliseSender(config.from, config.defaultRegion);
    } catch {
      throw new ConfigError('invalid Twilio SMS config: from is not a valid phone number', {
        connector,
        issues: [{ path: ['from'], code: 'invalid_phone', message: 'not a valid phone number' }],
      });
    }
    return {
      connector,
      http,
      telemetry: runtime.telemetry,
      accountSid: config.accountSid,
      accountPath: `/2010-04-01/Accounts/${config.accountSid}`,
      from,
      messagingServiceSid: config.messagingServiceSid,
      statusCallbackUrl: config.statusCallbackUrl,
      defaultRegion: config.defaultRegion,
      gate: createConsentGate(config.consent ?? {}, connector),
      keywords: createKeywordClassifier(config.keywords ?? {}),
      authToken: config.authToken,
      webhookOrigin: config.webhookOrigin,
      now: config.now ?? (() => new Date()),
    };
  },
  async check(ctx, signal) {
    await ctx.http.request({ path: `${ctx.accountPath}.json`, operation: 'check', signal });
  },
  actions: {
    sendSms: twilioKit.action({
      description: 'Send an SMS (consent-gated for marketing; sent once, never retried)',
      input: SendSmsInput,
      output: Message,
      idempotent: false,
      run: (input, ctx: TwilioContext, call) => sendSms(input, ctx, call.signal),
    }),
    sendTemplatedSms: twilioKit.action({
      description: 'Render a bilingual (ar/en) template for the contact and send it as an SMS',
      input: SendTemplatedSmsInput,
      output: Message,
      idempotent: false,
      run: (input, ctx: TwilioContext, call) => sendTemplatedSms(input, ctx, call.signal),
    }),
    getMessage: twilioKit.action({
      description: 'Read one message and its delivery status',
      input: GetMessageInput,
      output: Message,
      idempotent: true,
      run: (input, ctx: TwilioContext, call) => getMessage(input.sid, ctx, call.signal),
    }),
    findSentMessage: twilioKit.action({
      description: 'Reconcile an in-doubt send: was a message with this body sent to this number since then?',
      input: FindSentMessageInput,
      output: FindSentMessageOutput,
      idempotent: true,
      run: (input, ctx: TwilioContext, call) => findSentMessage(input, ctx, call.signal),
    }),
  },
  streams: {
    listMessages: twilioKit.stream({
      description: 'Read messages newest first, filtered by day and number, for reconciliation',
      record: Message,
      checkpoint: ListMessagesCheckpoint,
      read: (ctx: TwilioContext, options) => readMessages(ctx, options.checkpoint, options.signal),
    }),
  },
  webhooks: {
    statusCallback: twilioKit.webhook({
      description: 'Delivery status callbacks (queued, sent, delivered, undelivered, failed)',
      verify: async (request, ctx: TwilioContext) => receiveStatusCallback(request, ctx),
      map: (event, ctx: TwilioContext) => mapStatusCallback(event, ctx),
    }),
    inboundSms: twilioKit.webhook({
      description: 'Inbound SMS, with STOP/START/HELP keywords (Arabic included) as consent events',
      verify: async (request, ctx: TwilioContext) => receiveInboundSms(request, ctx),
      map: (event, ctx: TwilioContext) => mapInboundSms(event, ctx),
    }),
  },
});

/** A configured Twilio connector instance. */
export type TwilioConnector = ReturnType<typeof twilioConnector.create>;

/**
 * Creates a Twilio SMS connector: validates the config (a ConfigError names the bad field, never
 * its value), registers `authToken` / `apiKeySecret` with the redactor, and returns an instance
 * with `actions.sendSms`, `actions.sendTemplatedSms`, `actions.getMessage`,
 * `streams.listMessages` and `webhooks.statusCallback` / `webhooks.inboundSms`.
 */
export function createTwilioConnector(config: TwilioConfigInput, options?: ConnectorInstanceOptions): TwilioConnector {
  return twilioConnector.create(config, options);
}
