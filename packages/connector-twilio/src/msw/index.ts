/**
 * `@hmi/connector-twilio/msw`: a fake Twilio Messages, Calls and Recordings API for MSW, hand-written fixtures that
 * Twilio's OpenAPI description validates, and signed webhook requests — for host apps' tests.
 * @packageDocumentation
 */
export {
  type FakeTwilioFailure,
  type FakeTwilioOptions,
  type FakeTwilioRequest,
  type FakeTwilioState,
  TWILIO_MAGIC_NUMBERS,
  createFakeTwilio,
} from './fake-twilio.js';
export {
  FIXTURE_ACCOUNT_SID,
  FIXTURE_MESSAGING_SERVICE_SID,
  type TwilioErrorFixture,
  type TwilioMessageFixture,
  messageSid,
  rfc2822,
  twilioErrorFixture,
  twilioMessageFixture,
} from './fixtures.js';
export { type SignedTwilioWebhookOptions, signedTwilioWebhook } from './signed-webhook.js';
export { FAKE_TWILIO_MEDIA_ORIGIN, type FakeTwilioVoiceState } from './fake-twilio-voice.js';
export {
  type TwilioCallFixture,
  type TwilioRecordingFixture,
  callSid,
  recordingSid,
  twilioCallFixture,
  twilioRecordingFixture,
} from './voice-fixtures.js';
