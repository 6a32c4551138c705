import { ConsentOptionsSchema, secret } from '@hmi/core';
import { z } from 'zod';
import type { KeywordOptions } from './sms/keywords.js';

/** The Twilio REST API origin. */
export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

const AccountSid = z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID (AC + 32 hex)');
const ApiKeySid = z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'expected an API key SID (SK + 32 hex)');
const MessagingServiceSid = z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG + 32 hex)');

/**
 * A sender: a phone number (normalised to E.164 with `defaultRegion`), a short code (3–8 digits),
 * or an alphanumeric sender ID (1–11 letters, digits and spaces, at least one letter) — the usual
 * sender for hospitals in the Gulf, where carriers require registered sender IDs.
 */
const Sender = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((s) => /^\+?[\d\s()\-\u0660-\u0669\u06F0-\u06F9]+$/.test(s) || /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(s), {
    message: 'expected a phone number, short code or alphanumeric sender ID',
  });

const KeywordList = z.array(z.string().min(1).max(160)).max(200);
// Input and output are both KeywordOptions: a one-parameter ZodType would type the input `unknown`.
const KeywordOptionsSchema: z.ZodType<KeywordOptions, KeywordOptions> = z.object({
  optOut: KeywordList.optional(),
  optIn: KeywordList.optional(),
  help: KeywordList.optional(),
  replace: z.boolean().optional(),
});

const Clock = z.custom<() => Date>((value) => typeof value === 'function', { message: 'expected a function' });

/** The host's contact lookup: the CRM contact id of an E.164 number, or undefined. */
export type ContactLookup = (e164: string) => string | undefined | Promise<string | undefined>;
const Lookup = z.custom<ContactLookup>((value) => typeof value === 'function', { message: 'expected a function' });

/** Twilio Voice settings: how calls are attributed. */
export const TwilioVoiceConfig = z.object({
  /** Tracking number (E.164) → campaign id: an inbound call to one is attributed to the campaign. */
  trackingNumbers: z.record(z.string(), z.string().min(1).max(256)).default({}),
  /** Finds the CRM contact of a caller (inbound) or callee (outbound); its id becomes `contactId`. */
  lookupContact: Lookup.optional(),
  /**
   * Whether your TwiML plays the recording notice before recording (`<Say>` before `<Record>` or
   * `<Dial record>`): recorded calls then say `recordingConsent: true` (false: `false`). Twilio
   * itself cannot tell; unset, the flag is absent (unknown).
   */
  recordingAnnounced: z.boolean().optional(),
});
/** Twilio Voice settings as callers write them. */
export type TwilioVoiceConfigInput = z.input<typeof TwilioVoiceConfig>;

/**
 * The configuration of {@link createTwilioConnector}. `authToken` and `apiKeySecret` are secrets:
 * they never appear in errors or telemetry.
 */
export const TwilioConfig = z
  .object({
    /** The Account SID (`AC…`); every request path is under it. */
    accountSid: AccountSid,
    /**
     * The account's auth token. Authenticates REST calls when no API key is given, and is always
     * what Twilio signs webhooks with: the webhook handlers need it.
     */
    authToken: secret(z.string().min(1)).optional(),
    /** An API key SID (`SK…`); with `apiKeySecret`, authenticates REST calls instead of the auth token. */
    apiKeySid: ApiKeySid.optional(),
    /** The API key's secret. */
    apiKeySecret: secret(z.string().min(1)).optional(),
    /** The sender: phone number, short code or alphanumeric sender ID. Exactly one of `from` and `messagingServiceSid`. */
    from: Sender.optional(),
    /** A Messaging Service (`MG…`) that picks the sender; required for scheduled messages. */
    messagingServiceSid: MessagingServiceSid.optional(),
    /** Where Twilio posts delivery status callbacks for every message sent. */
    statusCallbackUrl: z.string().url().optional(),
    /** ISO 3166 region for numbers written without a country code (`SA`: `0555123456` → `+966555123456`). */
    defaultRegion: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'expected a two-letter region')
      .transform((s) => s.toUpperCase())
      .optional(),
    /** The consent gate's host callbacks: `check` before marketing sends, `onEvent` for opt-outs. */
    consent: ConsentOptionsSchema.optional(),
    /** Extra (or replacement) inbound keywords; see `classifyInboundKeyword`. */
    keywords: KeywordOptionsSchema.optional(),
    /**
     * The public origin Twilio calls (`https://crm.hospital.sa`) when a proxy in front of the
     * app changes scheme, host or port: webhook URLs are rebuilt on it before the signature check.
     */
    webhookOrigin: z.string().url().optional(),
    /** Twilio Voice: tracking numbers, contact lookup and the recording notice. */
    voice: TwilioVoiceConfig.optional(),
    /** Default `https://api.twilio.com`. */
    baseUrl: z.string().url().default(TWILIO_DEFAULT_BASE_URL),
    /** Permit an `http://` baseUrl. Only for loopback tests. */
    allowInsecureHttp: z.boolean().default(false),
    /** Time allowed for one request, ms. Default 30 000. */
    timeoutMs: z.number().int().positive().max(300_000).default(30_000),
    /** The clock used for the scheduling window and quiet hours. Default `() => new Date()`. */
    now: Clock.optional(),
  })
  .superRefine((config, ctx) => {
    if ((config.from === undefined) === (config.messagingServiceSid === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['messagingServiceSid'],
        message: 'exactly one of from and messagingServiceSid is required',
      });
    }
    if ((config.apiKeySid === undefined) !== (config.apiKeySecret === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.apiKeySid === undefined ? 'apiKeySid' : 'apiKeySecret'],
        message: 'apiKeySid and apiKeySecret go together',
      });
    }
    if (config.authToken === undefined && config.apiKeySid === undefined) {
      ctx.addIssue({ code: 'custom', path: ['authToken'], message: 'authToken or apiKeySid + apiKeySecret is required' });
    }
  });
/** The configuration as callers write it. */
export type TwilioConfigInput = z.input<typeof TwilioConfig>;
/** The configuration after defaults. */
export type TwilioConfig = z.output<typeof TwilioConfig>;
