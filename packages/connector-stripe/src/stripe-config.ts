import { secret } from '@hmi/core';
import * as v from 'valibot';
import { int, strip, url } from './shared/schema.js';

/**
 * The Stripe API version this connector is written and tested against, sent as `Stripe-Version` on
 * every request so that a change of the account's default version cannot change the shapes we read.
 * It is the version the official `stripe` SDK 23.x pins.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

/** Stripe's API origin. */
export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';

/* @__NO_SIDE_EFFECTS__ */
function token() {
  return v.pipe(v.string(), v.minLength(1), v.regex(/^\S+$/, 'must not contain whitespace'));
}
const ApiKey = /* @__PURE__ */ secret(token());
const WebhookSecret = /* @__PURE__ */ secret(token());

/** Config of {@link createStripeConnector}. `apiKey` and `webhookSecret` are secrets: never logged. */
export const StripeConfig = strip({
  /** A secret (`sk_…`) or restricted (`rk_…`) key, sent as a bearer token. */
  apiKey: ApiKey,
  /**
   * The endpoint's signing secret (`whsec_…`), or several while you roll it: a payload signed with
   * any of them verifies.
   */
  // Marked as a whole too: the redactor names secret keys, and the key holds a union, not a string.
  webhookSecret: v.optional(/* @__PURE__ */ secret(v.union([WebhookSecret, v.pipe(v.array(WebhookSecret), v.minLength(1))]))),
  /** Overrides {@link STRIPE_API_VERSION}. The response schemas are written for the pinned version. */
  apiVersion: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  /** Default {@link STRIPE_DEFAULT_BASE_URL}; set it to a loopback or MSW origin in tests. */
  baseUrl: v.optional(url()),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: v.optional(v.boolean()),
  /** Per-attempt timeout in ms. Default 30 000 (Stripe's own SDK allows 80 000). */
  timeoutMs: v.optional(v.pipe(int(), v.minValue(1))),
  /** Retries after the first attempt. Default 2, as the official SDK. */
  maxRetries: v.optional(v.pipe(int(), v.minValue(0), v.maxValue(10))),
});
/** Config of {@link createStripeConnector} as given by the caller. */
export type StripeConfigInput = v.InferInput<typeof StripeConfig>;
/** Config of the Stripe connector after validation. */
export type StripeConfig = v.InferOutput<typeof StripeConfig>;
