import { connectorKit } from '@hmi/core';
import type { ConsentGate, HttpClient, Telemetry } from '@hmi/core';
import type { KeywordClassifier } from './sms/keywords.js';
import type { ContactLookup } from './twilio-config.js';

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
  /** Twilio Voice attribution settings (defaults when not configured). */
  voice: { trackingNumbers: Readonly<Record<string, string>>; lookupContact?: ContactLookup; recordingAnnounced?: boolean };
  /** For recording media, streamed outside the JSON client: the fetch, origin and REST credentials. */
  media: { fetch: typeof globalThis.fetch; baseUrl: string; allowInsecureHttp: boolean; username: string; password: string };
}

/**
 * `action`, `stream` and `webhook` bound to {@link TwilioContext}, so no action, stream or webhook
 * of this connector repeats its context type.
 */
export const twilioKit = connectorKit<TwilioContext>();
