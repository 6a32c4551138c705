/**
 * `@hmi/connector-twilio`: Twilio SMS and Voice for the hospital CRM — consent-gated sends, E.164
 * numbers, GSM-7/UCS-2 segment counts, signed status callbacks and inbound opt-out keywords in
 * English and Arabic; calls and recordings as CallRecords attributed to contacts and campaigns,
 * signed voice and recording callbacks, and recordings streamed to a sink.
 * @packageDocumentation
 */
export { TWILIO_CONNECTOR_VERSION, type TwilioConnector, createTwilioConnector, twilioConnector } from './twilio-connector.js';
export {
  type ContactLookup,
  TWILIO_DEFAULT_BASE_URL,
  TwilioConfig,
  type TwilioConfigInput,
  TwilioVoiceConfig,
  type TwilioVoiceConfigInput,
} from './twilio-config.js';
export {
  TwilioCallPage,
  TwilioCallResource,
  TwilioCallStatus,
  sipToQ850,
  toCallRecord,
} from './calls/twilio-call.js';
export { CallsCheckpoint, GetCallInput } from './calls/read-calls.js';
export {
  RecordingsCheckpoint,
  TwilioRecordingPage,
  TwilioRecordingResource,
} from './recordings/read-recordings.js';
export type {
  DownloadRecordingOptions,
  RecordingDownload,
  RecordingSink,
  WritableLike,
} from './recordings/download-recording.js';
export {
  type CallRecordingEvent,
  RecordingStatusCallbackParams,
  VoiceStatusCallbackParams,
} from './webhooks/voice-handlers.js';
export { type DeliveryErrorInfo, TwilioErrorCode, classifyTwilioError, describeDeliveryError } from './twilio-error.js';
export {
  MAX_BODY_LENGTH,
  MAX_SCHEDULE_AHEAD_MS,
  MIN_SCHEDULE_AHEAD_MS,
  SendSmsInput,
  SendTemplatedSmsInput,
} from './messages/send-sms.js';
export { GetMessageInput, ListMessagesCheckpoint, ListMessagesFilter } from './messages/read-messages.js';
export {
  TwilioMessagePage,
  TwilioMessageResource,
  TwilioMessageStatus,
  toCanonicalMessage,
  toMessageStatus,
} from './messages/twilio-message.js';
export { type SmsEncoding, type SmsSegmentCount, countSmsSegments, isGsm7, isGsmCharacter } from './sms/segments.js';
export {
  DEFAULT_HELP_KEYWORDS,
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  type InboundKeyword,
  type KeywordClassifier,
  type KeywordOptions,
  classifyInboundKeyword,
  createKeywordClassifier,
  normalizeKeywordText,
} from './sms/keywords.js';
export {
  type TwilioParams,
  type VerifyTwilioSignatureInput,
  computeTwilioSignature,
  twilioBodyHash,
  verifyTwilioSignature,
} from './webhooks/signature.js';
export { InboundSmsParams, StatusCallbackParams, parseFormParams } from './webhooks/handlers.js';
export {
  FindSentMessageInput,
  FindSentMessageOutput,
  type ReconcileResult,
  smsBodyHash,
} from './messages/find-sent-message.js';
