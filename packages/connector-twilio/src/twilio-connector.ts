import { twilioKit } from './twilio-context.js';
import { ConfigError, type ConnectorInstanceOptions, createConsentGate, defineConnector } from '@hmi/core';
import { normalizePhone } from '@hmi/phone';
import { CallRecordSchema, MessageSchema } from './canonical.js';
import { CallsCheckpoint, GetCallInput, getCall, readCalls } from './calls/read-calls.js';
import { FindSentMessageInput, FindSentMessageOutput, findSentMessage } from './messages/find-sent-message.js';
import { GetMessageInput, ListMessagesCheckpoint, getMessage, readMessages } from './messages/read-messages.js';
import { SendSmsInput, SendTemplatedSmsInput, sendSms, sendTemplatedSms } from './messages/send-sms.js';
import {
  type DownloadRecordingOptions,
  type RecordingDownload,
  type RecordingSink,
  downloadRecording,
} from './recordings/download-recording.js';
import { RecordingsCheckpoint, readRecordings } from './recordings/read-recordings.js';
import { createKeywordClassifier } from './sms/keywords.js';
import { TwilioConfig, type TwilioConfigInput } from './twilio-config.js';
import type { TwilioContext } from './twilio-context.js';
import { classifyTwilioError } from './twilio-error.js';
import { mapInboundSms, mapStatusCallback, receiveInboundSms, receiveStatusCallback } from './webhooks/handlers.js';
import {
  mapRecordingStatusCallback,
  mapVoiceStatusCallback,
  receiveRecordingStatusCallback,
  receiveVoiceStatusCallback,
} from './webhooks/voice-handlers.js';
import { PACKAGE_VERSION } from './version.js';

/** The connector package's version. */
export const TWILIO_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/** Phone-number senders are normalised; short codes and alphanumeric sender IDs are kept. */
function normaliseSender(from: string | undefined, defaultRegion: string | undefined): string | undefined {
  if (from === undefined) return undefined;
  if (/[A-Za-z]/.test(from) || from.replace(/\D/g, '').length <= 8) return from;
  return normalizePhone(from, { defaultRegion });
}

function buildTwilioConnector(capture?: (ctx: TwilioContext) => void) {
  return defineConnector({
    id: 'twilio',
    name: 'Twilio SMS and Voice',
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
      const ctx: TwilioContext = {
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
        voice: {
          trackingNumbers: config.voice?.trackingNumbers ?? {},
          ...(config.voice?.lookupContact && { lookupContact: config.voice.lookupContact }),
          ...(config.voice?.recordingAnnounced !== undefined && { recordingAnnounced: config.voice.recordingAnnounced }),
        },
        media: {
          fetch: runtime.fetch ?? ((input, init) => globalThis.fetch(input, init)),
          baseUrl: config.baseUrl,
          allowInsecureHttp: config.allowInsecureHttp,
          username,
          password,
        },
      };
      capture?.(ctx);
      return ctx;
    },
    async check(ctx, signal) {
      await ctx.http.request({ path: `${ctx.accountPath}.json`, operation: 'check', signal });
    },
    actions: {
      sendSms: twilioKit.action({
        description: 'Send an SMS (consent-gated for marketing; sent once, never retried)',
        input: SendSmsInput,
        output: MessageSchema,
        idempotent: false,
        run: (input, ctx: TwilioContext, call) => sendSms(input, ctx, call.signal),
      }),
      sendTemplatedSms: twilioKit.action({
        description: 'Render a bilingual (ar/en) template for the contact and send it as an SMS',
        input: SendTemplatedSmsInput,
        output: MessageSchema,
        idempotent: false,
        run: (input, ctx: TwilioContext, call) => sendTemplatedSms(input, ctx, call.signal),
      }),
      getMessage: twilioKit.action({
        description: 'Read one message and its delivery status',
        input: GetMessageInput,
        output: MessageSchema,
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
      getCall: twilioKit.action({
        description: 'Read one call as a CallRecord (E.164, contact and campaign attributed)',
        input: GetCallInput,
        output: CallRecordSchema,
        idempotent: true,
        run: (input, ctx: TwilioContext, call) => getCall(input.sid, ctx, call.signal),
      }),
    },
    streams: {
      listMessages: twilioKit.stream({
        description: 'Read messages newest first, filtered by day and number, for reconciliation',
        record: MessageSchema,
        checkpoint: ListMessagesCheckpoint,
        read: (ctx: TwilioContext, options) => readMessages(ctx, options.checkpoint, options.signal),
      }),
      calls: twilioKit.stream({
        description: 'Finished calls since a start time (StartTime>=), as attributed CallRecords; incremental',
        record: CallRecordSchema,
        checkpoint: CallsCheckpoint,
        read: (ctx: TwilioContext, options) => readCalls(ctx, options.checkpoint, options.signal),
      }),
      recordings: twilioKit.stream({
        description: 'Completed call recordings as CallRecords with an opaque recording reference; incremental',
        record: CallRecordSchema,
        checkpoint: RecordingsCheckpoint,
        read: (ctx: TwilioContext, options) => readRecordings(ctx, options.checkpoint, options.signal),
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
      voiceStatusCallback: twilioKit.webhook({
        description: 'Voice status callbacks (initiated, ringing, answered, completed) as attributed CallRecords',
        verify: async (request, ctx: TwilioContext) => receiveVoiceStatusCallback(request, ctx),
        map: (event, ctx: TwilioContext) => mapVoiceStatusCallback(event, ctx),
      }),
      recordingStatusCallback: twilioKit.webhook({
        description: 'Recording status callbacks (completed, absent, failed) with an opaque recording reference',
        verify: async (request, ctx: TwilioContext) => receiveRecordingStatusCallback(request, ctx),
        map: (event, ctx: TwilioContext) => mapRecordingStatusCallback(event, ctx),
      }),
    },
  });
}

/**
 * The Twilio SMS and Voice connector definition (contract v1). Use {@link createTwilioConnector}
 * for an instance (it also carries `downloadRecording`), or `twilioConnector.create(config, options)`.
 */
export const twilioConnector = buildTwilioConnector();

/** A configured Twilio connector instance, with the recording download beside the contract's parts. */
export type TwilioConnector = ReturnType<typeof twilioConnector.create> & {
  /**
   * Streams a call recording (a Recording SID or the `twilio:recordings/RE…` reference of a
   * CallRecord) to `sink` — a WritableStream or a Node Writable — without buffering the file.
   * Recordings are PHI: no SID or URL reaches errors or telemetry.
   */
  downloadRecording(recording: string, sink: RecordingSink, options?: DownloadRecordingOptions): Promise<RecordingDownload>;
};

/**
 * Creates a Twilio SMS connector: validates the config (a ConfigError names the bad field, never
 * its value), registers `authToken` / `apiKeySecret` with the redactor, and returns an instance
 * with `actions.sendSms`, `actions.sendTemplatedSms`, `actions.getMessage`,
 * `actions.findSentMessage`, `actions.getCall`, `streams.listMessages` / `calls` / `recordings`,
 * `webhooks.statusCallback` / `inboundSms` / `voiceStatusCallback` / `recordingStatusCallback`,
 * and `downloadRecording`.
 */
export function createTwilioConnector(config: TwilioConfigInput, options?: ConnectorInstanceOptions): TwilioConnector {
  let captured: TwilioContext | undefined;
  const instance = buildTwilioConnector((ctx) => {
    captured = ctx;
  }).create(config, options);
  const ctx = captured!;
  return Object.assign(instance, {
    downloadRecording: (recording: string, sink: RecordingSink, downloadOptions?: DownloadRecordingOptions) =>
      downloadRecording(ctx, recording, sink, downloadOptions),
  });
}
