import { type ConsentOptions, isConsentOptions, secret } from '@hmi/core';
import * as v from 'valibot';
import { type RuleIssue, Url, fn, nonEmpty, objectRule, pattern, text, noArrays } from './schema-kit.js';
import type { KeywordOptions } from './sms/keywords.js';

/** The Twilio REST API origin. */
export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

const AccountSid = pattern(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID (AC + 32 hex)');
const ApiKeySid = pattern(/^SK[0-9a-fA-F]{32}$/, 'expected an API key SID (SK + 32 hex)');
const MessagingServiceSid = pattern(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG + 32 hex)');

/**
 * A sender: a phone number (normalised to E.164 with `defaultRegion`), a short code (3–8 digits),
 * or an alphanumeric sender ID (1–11 letters, digits and spaces, at least one letter) — the usual
 * sender for hospitals in the Gulf, where carriers require registered sender IDs.
 */
const Sender = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(40),
  v.check(
    (s) => /^\+?[\d\s()\-\u0660-\u0669\u06F0-\u06F9]+$/.test(s) || /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(s),
    'expected a phone number, short code or alphanumeric sender ID',
  ),
);

const KeywordList = v.pipe(v.array(text(1, 160)), v.maxLength(200));
const KeywordOptionsSchema = noArrays(
  v.object({
    optOut: v.optional(KeywordList),
    optIn: v.optional(KeywordList),
    help: v.optional(KeywordList),
    replace: v.optional(v.boolean()),
  }),
) satisfies v.GenericSchema<KeywordOptions>;

/** The host's contact lookup: the CRM contact id of an E.164 number, or undefined. */
export type ContactLookup = (e164: string) => string | undefined | Promise<string | undefined>;

/** Twilio Voice settings: how calls are attributed. */
export const TwilioVoiceConfig = noArrays(
  v.object({
    /** Tracking number (E.164) → campaign id: an inbound call to one is attributed to the campaign. */
    trackingNumbers: v.optional(noArrays(v.record(v.string(), text(1, 256))), {}),
    /** Finds the CRM contact of a caller (inbound) or callee (outbound); its id becomes `contactId`. */
    lookupContact: v.optional(fn<ContactLookup>()),
    /**
     * Whether your TwiML plays the recording notice before recording (`<Say>` before `<Record>` or
     * `<Dial record>`): recorded calls then say `recordingConsent: true` (false: `false`). Twilio
     * itself cannot tell; unset, the flag is absent (unknown).
     */
    recordingAnnounced: v.optional(v.boolean()),
  }),
);
/** Twilio Voice settings as callers write them. */
export type TwilioVoiceConfigInput = v.InferInput<typeof TwilioVoiceConfig>;

/** The fields of {@link TwilioConfig}, before the rules that relate them. */
const TwilioConfigObject = noArrays(
  v.object({
    /** The Account SID (`AC…`); every request path is under it. */
    accountSid: AccountSid,
    /**
     * The account's auth token. Authenticates REST calls when no API key is given, and is always
     * what Twilio signs webhooks with: the webhook handlers need it.
     */
    authToken: v.optional(secret(nonEmpty())),
    /** An API key SID (`SK…`); with `apiKeySecret`, authenticates REST calls instead of the auth token. */
    apiKeySid: v.optional(ApiKeySid),
    /** The API key's secret. */
    apiKeySecret: v.optional(secret(nonEmpty())),
    /** The sender: phone number, short code or alphanumeric sender ID. Exactly one of `from` and `messagingServiceSid`. */
    from: v.optional(Sender),
    /** A Messaging Service (`MG…`) that picks the sender; required for scheduled messages. */
    messagingServiceSid: v.optional(MessagingServiceSid),
    /** Where Twilio posts delivery status callbacks for every message sent. */
    statusCallbackUrl: v.optional(Url),
    /** ISO 3166 region for numbers written without a country code (`SA`: `0555123456` → `+966555123456`). */
    defaultRegion: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[A-Za-z]{2}$/, 'expected a two-letter region'),
        v.transform((s) => s.toUpperCase()),
      ),
    ),
    /** The consent gate's host callbacks: `check` before marketing sends, `onEvent` for opt-outs. */
    consent: v.optional(
      v.custom<ConsentOptions>(
        isConsentOptions,
        'expected { check?, onEvent?, quietHours?, checkTransactional? } with functions for check and onEvent',
      ),
    ),
    /** Extra (or replacement) inbound keywords; see `classifyInboundKeyword`. */
    keywords: v.optional(KeywordOptionsSchema),
    /**
     * The public origin Twilio calls (`https://crm.hospital.sa`) when a proxy in front of the
     * app changes scheme, host or port: webhook URLs are rebuilt on it before the signature check.
     */
    webhookOrigin: v.optional(Url),
    /** Twilio Voice: tracking numbers, contact lookup and the recording notice. */
    voice: v.optional(TwilioVoiceConfig),
    /** Default `https://api.twilio.com`. */
    baseUrl: v.optional(Url, TWILIO_DEFAULT_BASE_URL),
    /** Permit an `http://` baseUrl. Only for loopback tests. */
    allowInsecureHttp: v.optional(v.boolean(), false),
    /** Time allowed for one request, ms. Default 30 000. */
    timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.gtValue(0), v.maxValue(300_000)), 30_000),
    /** The clock used for the scheduling window and quiet hours. Default `() => new Date()`. */
    now: v.optional(fn<() => Date>()),
  }),
);

/**
 * The configuration of {@link createTwilioConnector}. `authToken` and `apiKeySecret` are secrets:
 * they never appear in errors or telemetry.
 */
export const TwilioConfig = v.pipe(
  TwilioConfigObject,
  objectRule<v.InferOutput<typeof TwilioConfigObject>>((config) => {
    const issues: RuleIssue[] = [];
    if ((config.from === undefined) === (config.messagingServiceSid === undefined)) {
      issues.push({ key: 'messagingServiceSid', message: 'exactly one of from and messagingServiceSid is required' });
    }
    if ((config.apiKeySid === undefined) !== (config.apiKeySecret === undefined)) {
      issues.push({
        key: config.apiKeySid === undefined ? 'apiKeySid' : 'apiKeySecret',
        message: 'apiKeySid and apiKeySecret go together',
      });
    }
    if (config.authToken === undefined && config.apiKeySid === undefined) {
      issues.push({ key: 'authToken', message: 'authToken or apiKeySid + apiKeySecret is required' });
    }
    return issues;
  }),
);
/** The configuration as callers write it. */
export type TwilioConfigInput = v.InferInput<typeof TwilioConfig>;
/** The configuration after defaults. */
export type TwilioConfig = v.InferOutput<typeof TwilioConfig>;
