import { secret } from '@hmi/core';
import { z } from 'zod';
import { GRAPH_DEFAULT_BASE_URL, GRAPH_DEFAULT_VERSION } from './graph/client.js';

const Fn = <T>() => z.custom<T>((value) => typeof value === 'function', { message: 'expected a function' });

/** A reply text in Arabic and English. */
export const ReplyTemplate = z.object({ ar: z.string().min(1).max(2000), en: z.string().min(1).max(2000) });
/** A reply text in Arabic and English. */
export type ReplyTemplate = z.infer<typeof ReplyTemplate>;

/** The default reply to a comment on a health matter: take it out of public view. */
export const DEFAULT_PRIVATE_REPLY: ReplyTemplate = {
  ar: 'شكرًا لتواصلكم. حرصًا على خصوصيتكم، يُرجى التواصل معنا عبر الرسائل الخاصة أو الاتصال بنا مباشرة.',
  en: 'Thank you for reaching out. To protect your privacy, please contact us privately by direct message or phone.',
};

/**
 * Config of the Meta connector. `secret()` marks the access token, app secret and verify token: the
 * instance's redactor scrubs them from telemetry and errors, and a bad config is a ConfigError that
 * names the field, never its value.
 */
export const MetaConfig = z.object({
  /** A long-lived Page or system-user access token (sent as a bearer token, never in URLs). */
  accessToken: secret(z.string().min(1).max(4096)),
  /** The Meta app's id (`client_id` of the token exchange, `getLongLivedPageToken`). */
  appId: z
    .string()
    .regex(/^\d{1,32}$/, 'expected a numeric app id')
    .optional(),
  /**
   * The app secret: verifies `X-Hub-Signature-256` on webhooks (without it every delivery is
   * refused) and authenticates the token exchange (sent in a POST body, never in a URL). Meta's are
   * 32 hex characters; any non-empty value is taken (the redactor scrubs values of 6+ characters).
   */
  appSecret: secret(z.string().min(1).max(1024)).optional(),
  /** The token you typed in the app dashboard's webhook setup, echoed back in the GET handshake. */
  verifyToken: secret(z.string().min(1).max(256)).optional(),
  /** The Facebook Page posts and comments belong to. */
  pageId: z
    .string()
    .regex(/^\d{1,32}$/, 'expected a numeric Page id')
    .optional(),
  /** The Instagram business account linked to the Page. */
  instagramAccountId: z
    .string()
    .regex(/^\d{1,32}$/, 'expected a numeric Instagram account id')
    .optional(),
  /** The ad account, `act_<digits>` (the prefix is added when missing). */
  adAccountId: z
    .string()
    .regex(/^(act_)?\d{1,32}$/, 'expected act_<digits>')
    .transform((id) => (id.startsWith('act_') ? id : `act_${id}`))
    .optional(),
  /** Graph API version, pinned. Default the version of Meta's published specs ({@link GRAPH_DEFAULT_VERSION}). */
  graphVersion: z
    .string()
    .regex(/^v\d{1,3}\.\d{1,2}$/, 'expected v<major>.<minor>')
    .default(GRAPH_DEFAULT_VERSION),
  /** Default `https://graph.facebook.com`; `next` links are only followed on this origin. */
  baseUrl: z.string().url().default(GRAPH_DEFAULT_BASE_URL),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /** Per-attempt timeout, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /** Items per Graph page (`limit`). Default 100. */
  pageSize: z.number().int().min(1).max(500).default(100),
  /**
   * Longest throttle window waited out in-process, ms: a 4/17/32/613 answer is retried once Meta's
   * `estimated_time_to_regain_access` (whole minutes) has passed, if that is within this; a longer
   * window is a RateLimitError with `retryAfterMs` at once, for the flow to reschedule. Default
   * 300 000 (five minutes).
   */
  maxWaitMs: z.number().int().min(0).max(3_600_000).default(300_000),
  /** Back off once any quota in the usage headers reaches this percentage. Default 85. */
  usageThresholdPct: z.number().min(1).max(100).default(85),
  /** The reply sent to comments on health matters unless a call overrides it. */
  privateReplyTemplate: ReplyTemplate.default(DEFAULT_PRIVATE_REPLY),
  /** Clock, ms since the epoch (tests inject one). Default `Date.now`. */
  now: Fn<() => number>().optional(),
  /** How the usage gate and the retry of a throttled request wait (tests inject one). Default a timer. */
  sleep: Fn<(ms: number, signal?: AbortSignal) => Promise<void>>().optional(),
});
/** The config as callers write it. */
export type MetaConfigInput = z.input<typeof MetaConfig>;
/** The config after defaults. */
export type MetaConfig = z.output<typeof MetaConfig>;
