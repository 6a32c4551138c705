import { secret } from '@hmi/core';
import { z } from 'zod';

/**
 * The Stripe API version this connector is written and tested against, sent as `Stripe-Version` on
 * every request so that a change of the account's default version cannot change the shapes we read.
 * It is the version the official `stripe` SDK 23.x pins.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** Stripe's API origin. */
export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';

const ApiKey = secret(z.string().min(1).regex(/^\S+$/, 'must not contain whitespace'));
const WebhookSecret = secret(z.string().min(1).regex(/^\S+$/, 'must not contain whitespace'));

/** Config of {@link createStripeConnector}. `apiKey` and `webhookSecret` are secrets: never logged. */
export const StripeConfig = z.object({
  /** A secret (`sk_…`) or restricted (`rk_…`) key, sent as a bearer token. */
  apiKey: ApiKey,
  /**
   * The endpoint's signing secret (`whsec_…`), or several while you roll it: a payload signed with
   * any of them verifies.
   */
  webhookSecret: z.union([WebhookSecret, z.array(WebhookSecret).min(1)]).optional(),
  /** Overrides {@link STRIPE_API_VERSION}. The response schemas are written for the pinned version. */
  apiVersion: z.string().min(1).max(64).optional(),
  /** Default {@link STRIPE_DEFAULT_BASE_URL}; set it to a loopback or MSW origin in tests. */
  baseUrl: z.string().url().optional(),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().optional(),
  /** Per-attempt timeout in ms. Default 30 000 (Stripe's own SDK allows 80 000). */
  timeoutMs: z.number().int().positive().optional(),
  /** Retries after the first attempt. Default 2, as the official SDK. */
  maxRetries: z.number().int().min(0).max(10).optional(),
});
/** Config of {@link createStripeConnector} as given by the caller. */
export type StripeConfigInput = z.input<typeof StripeConfig>;
/** Config of the Stripe connector after validation. */
export type StripeConfig = z.output<typeof StripeConfig>;
