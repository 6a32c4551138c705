import { type KeywordOptions, secret } from '@hmi/core';
import { ConsentOptionsSchema } from '@hmi/core/schemas';
import { GRAPH_DEFAULT_BASE_URL, GRAPH_DEFAULT_VERSION } from '@hmi/connector-meta/graph';
import { z } from 'zod';

const Fn = <T>() => z.custom<T>((value) => typeof value === 'function', { message: 'expected a function' });
// Graph ids are numeric; any URL-path-safe token is accepted (sandboxes), never `/`, `+` or `..`.
const NodeId = (what: string) => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, `expected the ${what} (digits)`);

const Words = z.array(z.string().min(1).max(64)).max(200);
const KeywordOptionsSchema: z.ZodType<KeywordOptions> = z.object({
  optOut: Words.optional(),
  optIn: Words.optional(),
  help: Words.optional(),
  replace: z.boolean().optional(),
});

/** A price per conversation category, for the cost estimate (`estimateSend`). */
const Rate = z.object({ amount: z.number().nonnegative().max(1_000_000), currency: z.string().regex(/^[A-Z]{3}$/) });

/** Looks up when the patient (E.164) last wrote to the business; undefined when never known. */
export type LastInboundLookup = (e164: string) => Date | undefined | Promise<Date | undefined>;
/** Records an inbound message's time for the patient (E.164), e.g. in the host's state store. */
export type InboundRecorder = (e164: string, at: Date) => void | Promise<void>;

/**
 * Config of the WhatsApp connector (Cloud API). `secret()` marks the access token, app secret and
 * verify token: the redactor scrubs them from telemetry and errors, and a bad config is a
 * ConfigError naming the field, never its value.
 */
export const WhatsAppConfig = z.object({
  /** A system-user access token with `whatsapp_business_messaging` (sent as a bearer token). */
  accessToken: secret(z.string().min(1).max(4096)),
  /** The business phone number's id (not the number): messages are sent from it. */
  phoneNumberId: NodeId('phone number id'),
  /** The WhatsApp Business Account (WABA) id: needed by `listTemplates`. */
  businessAccountId: NodeId('WhatsApp Business Account id').optional(),
  /** The app secret: verifies `X-Hub-Signature-256` on webhooks. Without it every delivery is refused. */
  appSecret: secret(z.string().min(1).max(1024)).optional(),
  /** The token typed in the app dashboard's webhook setup, echoed in the GET handshake. */
  verifyToken: secret(z.string().min(1).max(256)).optional(),
  /** The consent gate's host callbacks: `check` before MARKETING templates, `onEvent` for opt-outs. */
  consent: ConsentOptionsSchema.optional(),
  /** Extra (or replacement) opt-out/opt-in words, added to the shared Arabic/English list of `@hmi/core`. */
  keywords: KeywordOptionsSchema.optional(),
  /**
   * When the patient last wrote (from the host's state store): a free-form `sendText` is allowed
   * only within 24 hours of it. Without it (and without `lastInboundAt` on the call) sendText is
   * refused: the connector fails closed.
   */
  lastInbound: Fn<LastInboundLookup>().optional(),
  /** Told each inbound message's time when the webhook maps it, so `lastInbound` can answer. */
  recordInbound: Fn<InboundRecorder>().optional(),
  /** ISO 3166 region for numbers written without a country code (`SA`: `0551234567` → `+966551234567`). */
  defaultRegion: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'expected a two-letter region')
    .transform((s) => s.toUpperCase())
    .optional(),
  /** Prices per conversation category for `estimateSend` (Meta's rate card for your market). */
  rates: z.partialRecord(z.enum(['marketing', 'utility', 'authentication', 'service']), Rate).optional(),
  /** Graph API version, pinned. Default {@link GRAPH_DEFAULT_VERSION}. */
  graphVersion: z
    .string()
    .regex(/^v\d{1,3}\.\d{1,2}$/, 'expected v<major>.<minor>')
    .default(GRAPH_DEFAULT_VERSION),
  /** Default `https://graph.facebook.com`. */
  baseUrl: z.string().url().default(GRAPH_DEFAULT_BASE_URL),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /** Per-attempt timeout, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /** Templates per page of `listTemplates`. Default 100. */
  pageSize: z.number().int().min(1).max(500).default(100),
  /**
   * Longest throttle window waited out in-process, ms; a longer one is a RateLimitError with
   * `retryAfterMs` at once, for the caller or outbox to reschedule. Default 30 000.
   */
  maxWaitMs: z.number().int().min(0).max(600_000).default(30_000),
  /**
   * How long to wait before messaging the same patient again after 131056 (pair rate limit), ms.
   * Above `maxWaitMs` on purpose: the send comes back at once with `retryAfterMs` instead of being
   * repeated in-process against the same recipient. Default 60 000.
   */
  pairRateLimitRetryMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Back off once any quota in the usage headers reaches this percentage. Default 85. */
  usageThresholdPct: z.number().min(1).max(100).default(85),
  /** Clock: ms since the epoch or a Date (tests inject one). Default `Date.now`. */
  now: Fn<() => number | Date>().optional(),
  /** How the usage gate waits (tests inject one). Default a timer. */
  sleep: Fn<(ms: number, signal?: AbortSignal) => Promise<void>>().optional(),
});
/** The config as callers write it. */
export type WhatsAppConfigInput = z.input<typeof WhatsAppConfig>;
/** The config after defaults. */
export type WhatsAppConfig = z.output<typeof WhatsAppConfig>;
