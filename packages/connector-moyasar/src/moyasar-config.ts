import { secret } from '@hmi/core';
import { z } from 'zod';

/** Moyasar's API origin. */
export const MOYASAR_DEFAULT_BASE_URL = 'https://api.moyasar.com';

/**
 * Config of the Moyasar connector. `secret()` marks credentials: their values are registered with
 * the instance's redactor, so they never reach telemetry or errors, and a bad config is a
 * ConfigError that names the field, never its value.
 */
export const MoyasarConfig = z.object({
  /** The secret API key (`sk_live_…` / `sk_test_…`), sent as the Basic-auth user with an empty password. */
  secretKey: secret(
    z.string().regex(/^sk_(live|test)_[A-Za-z0-9]{8,}$/, 'expected a Moyasar secret key (sk_live_… or sk_test_…)'),
  ),
  /**
   * The webhook's shared secret, which Moyasar echoes as `secret_token` in every delivery. Several
   * while rotating. Without it the webhook refuses every request.
   */
  webhookSecret: secret(z.union([z.string().min(16), z.array(z.string().min(16)).min(1).max(4)])).optional(),
  /** Default {@link MOYASAR_DEFAULT_BASE_URL}. */
  baseUrl: z.string().url().default(MOYASAR_DEFAULT_BASE_URL),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().default(false),
  /** Per-attempt timeout, ms. Default 30 000. */
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /**
   * Clinical terms the host refuses in payment and invoice descriptions (condition names in Arabic
   * and English). ICD-10 style codes are always refused.
   */
  descriptionVocabulary: z.array(z.string().min(2).max(100)).max(5_000).default([]),
});
/** The config as callers write it. */
export type MoyasarConfigInput = z.input<typeof MoyasarConfig>;
/** The config after defaults. */
export type MoyasarConfig = z.output<typeof MoyasarConfig>;
