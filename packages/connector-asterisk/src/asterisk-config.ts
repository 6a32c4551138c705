import { secret } from '@hmi/core';
import { z } from 'zod';

/**
 * Config of the Asterisk ARI connector. The ARI password is a `secret()`: registered with the
 * instance's redactor, so it never reaches telemetry, errors or logs (nor does the `api_key` query
 * of the WebSocket URL, which is built from it).
 */
export const AsteriskConfig = z.object({
  /** The Asterisk HTTP server's origin, e.g. `https://pbx.hospital.example:8089` (ARI lives under `/ari`). */
  baseUrl: z.string().url(),
  /** The ARI user (`ari.conf`). */
  username: z.string().min(1).max(128),
  /** The ARI user's password. */
  password: secret(z.string().min(6).max(256)),
  /** The Stasis application whose events are read (`/ari/events?app=`). */
  app: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  /** Permits `http://` and `ws://`. Only for loopback tests: call data travels over TLS. */
  allowInsecureHttp: z.boolean().default(false),
  /** Per-attempt REST timeout, ms. Default 15 000. */
  timeoutMs: z.number().int().positive().max(120_000).default(15_000),
  /** Dialplan contexts calls from outside arrive in (inbound). Default `from-trunk`, `from-pstn`, `from-external`. */
  inboundContexts: z.array(z.string().min(1)).default(['from-trunk', 'from-pstn', 'from-external']),
  /** Dialplan contexts of the hospital's own phones (their calls out are outbound). Default `from-internal`. */
  internalContexts: z.array(z.string().min(1)).default(['from-internal']),
  /** Channel-name prefixes of the trunks (e.g. `PJSIP/stc-trunk`): a call with a trunk channel is not internal. */
  trunks: z.array(z.string().min(1)).default([]),
  /** Region for numbers written without a country code (`0555…`). Default `SA`. */
  defaultRegion: z.string().length(2).default('SA'),
  /** Tracking number (E.164) → campaign id: a call to one is attributed to the campaign. */
  trackingNumbers: z.record(z.string(), z.string()).default({}),
  /**
   * The sound played as the recording announcement (e.g. `sound:recording-notice`): a call on
   * which it finished playing is marked `recordingConsent: true`, else false. Unset: unknown.
   */
  consentAnnouncement: z.string().min(1).optional(),
  /** Reconnect backoff of the event WebSocket: first delay and cap, ms. */
  reconnect: z
    .object({ initialDelayMs: z.number().int().positive().default(500), maxDelayMs: z.number().int().positive().default(30_000) })
    .default({ initialDelayMs: 500, maxDelayMs: 30_000 }),
  /** How many finished call ids are remembered to refuse duplicates. Default 10 000. */
  dedupeWindow: z.number().int().min(100).max(1_000_000).default(10_000),
  /** Calls tracked at once; beyond it the oldest is closed as failed (bounded memory). Default 5 000. */
  maxActiveCalls: z.number().int().min(10).max(1_000_000).default(5_000),
});
/** The config as callers write it. */
export type AsteriskConfigInput = z.input<typeof AsteriskConfig>;
/** The config after defaults. */
export type AsteriskConfig = z.output<typeof AsteriskConfig>;
