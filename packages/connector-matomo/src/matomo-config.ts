import { type PhiFirewall, secret } from '@hmi/core';
import { z } from 'zod';

const isFirewall = (value: unknown): value is PhiFirewall =>
  typeof value === 'object' && value !== null && typeof (value as PhiFirewall).apply === 'function';

/**
 * Config of the Matomo connector (self-hosted or Matomo Cloud). `tokenAuth` is `secret()`: it is
 * sent only in POST bodies, never in a URL, and never reaches telemetry or errors.
 */
export const MatomoConfig = z.object({
  /** The Matomo root, e.g. `https://analytics.hospital.sa` (where `index.php` and `matomo.php` live). */
  baseUrl: z.string().url(),
  /** The website's `idSite` (a number, or its decimal string). */
  siteId: z.coerce.number().int().positive(),
  /**
   * A `token_auth` (Personal → Security → Auth tokens): view access for reports. Optional for
   * tracking only (Matomo accepts plain hits without one).
   */
  tokenAuth: secret(z.string().min(8).max(256)).optional(),
  /** The PHI firewall every tracked hit passes; default the strict default policy. */
  firewall: z.custom<PhiFirewall>(isFirewall, 'expected a firewall from createPhiFirewall').optional(),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /** Per-attempt timeout, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /** The core's retry policy (tests shorten the waits). */
  retry: z
    .object({ retries: z.number().int().min(0).max(10), minDelayMs: z.number().min(0), maxDelayMs: z.number().min(0) })
    .partial()
    .optional(),
});
/** The config as callers write it. */
export type MatomoConfigInput = z.input<typeof MatomoConfig>;
/** The config after defaults. */
export type MatomoConfig = z.output<typeof MatomoConfig>;
