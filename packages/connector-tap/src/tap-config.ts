import { secret } from '@hmi/core';
import { z } from 'zod';

/** Tap's API origin. */
export const TAP_DEFAULT_BASE_URL = 'https://api.tap.company';

/**
 * Config of the Tap connector. The secret key authenticates API calls (Bearer) and also signs
 * webhooks (the `hashstring` header is an HMAC-SHA256 keyed with it), so there is no separate
 * webhook secret. `secret()` keeps it out of telemetry and errors.
 */
export const TapConfig = z.object({
  /** The secret API key (`sk_live_…` / `sk_test_…`). */
  secretKey: secret(z.string().regex(/^sk_(live|test)_[A-Za-z0-9]{8,}$/, 'expected a Tap secret key (sk_live_… or sk_test_…)')),
  /** Default {@link TAP_DEFAULT_BASE_URL}. */
  baseUrl: z.string().url().default(TAP_DEFAULT_BASE_URL),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /** Per-attempt timeout, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /** Charges per page of the `charges` stream (Tap allows up to 50). Default 50. */
  pageSize: z.number().int().min(1).max(50).default(50),
  /**
   * Clinical terms the host refuses in charge descriptions (condition names in Arabic and English).
   * ICD-10 style codes are always refused.
   */
  descriptionVocabulary: z.array(z.string().min(2).max(100)).max(5_000).default([]),
});
/** The config as callers write it. */
export type TapConfigInput = z.input<typeof TapConfig>;
/** The config after defaults. */
export type TapConfig = z.output<typeof TapConfig>;
