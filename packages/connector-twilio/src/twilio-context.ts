import { connectorKit } from '@hmi/core';
import type { ConsentGate, HttpClient, Telemetry } from '@hmi/core';
import type { KeywordClassifier } from './sms/keywords.js';

/** What every Twilio action, stream and webhook receives (built once per instance in `setup`). */
export interface TwilioContext {
  connector: string;
  http: HttpClient;
  telemetry: Telemetry;
  accountSid: string;
  /** `/2010-04-01/Accounts/{AccountSid}`. */
  accountPath: string;
  /** The sender, normalised to E.164 when it is a phone number. */
  from: string | undefined;
  messagingServiceSid: string | undefined;
  statusCallbackUrl: string | undefined;
  defaultRegion: string | undefined;
  gate: ConsentGate;
  keywords: KeywordClassifier;
  /** Needed to verify webhooks; absent when only an API key was configured. */
  authToken: string | undefined;
  webhookOrigin: string | undefined;
  now: () => Date;
}

/**
 * `action`, `stream` and `webhook` bound to {@link TwilioContext}, so no action, stream or webhook
 * of this connector repeats its context type.
 */
export const twilioKit = connectorKit<TwilioContext>();
