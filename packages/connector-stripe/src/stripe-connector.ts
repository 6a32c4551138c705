import { type Connector, type ConnectorInstance, type ConnectorInstanceOptions, defineConnector } from '@hmi/core';
import * as v from 'valibot';
import { createCheckoutSession } from './checkout-sessions/actions.js';
import { createCustomer, findCustomerByEmail } from './customers/actions.js';
import { cancelPaymentIntent, createPaymentIntent, retrievePaymentIntent } from './payment-intents/actions.js';
import { payments } from './payments/payments-stream.js';
import { createRefund } from './refunds/actions.js';
import { loose } from './shared/schema.js';
import { STRIPE_API_VERSION, STRIPE_DEFAULT_BASE_URL, StripeConfig, type StripeConfigInput } from './stripe-config.js';
import type { StripeContext } from './stripe-context.js';
import { classifyStripeError } from './stripe-error.js';
import { events } from './webhooks/webhook.js';
import { PACKAGE_VERSION } from './version.js';

// What `check` reads from `GET /v1/balance`: only that it is the balance.
const Balance = loose({ object: v.literal('balance') });

/** This package's version, reported by connector instances. */
export const STRIPE_CONNECTOR_VERSION: string = PACKAGE_VERSION;

/** The Stripe connector's actions, by name. */
export type StripeActions = {
  createPaymentIntent: typeof createPaymentIntent;
  retrievePaymentIntent: typeof retrievePaymentIntent;
  cancelPaymentIntent: typeof cancelPaymentIntent;
  createCheckoutSession: typeof createCheckoutSession;
  createRefund: typeof createRefund;
  createCustomer: typeof createCustomer;
  findCustomerByEmail: typeof findCustomerByEmail;
};
/** The Stripe connector's streams. */
export type StripeStreams = {
  payments: typeof payments;
};
/** The Stripe connector's webhooks. */
export type StripeWebhooks = {
  events: typeof events;
};

const stripeActions: StripeActions = {
  createPaymentIntent,
  retrievePaymentIntent,
  cancelPaymentIntent,
  createCheckoutSession,
  createRefund,
  createCustomer,
  findCustomerByEmail,
};
const stripeStreams: StripeStreams = { payments };
const stripeWebhooks: StripeWebhooks = { events };

/**
 * The Stripe connector under contract v1: bearer auth with the secret key, a pinned
 * `Stripe-Version`, form-encoded bodies exactly as the official SDK sends them, an Idempotency-Key
 * on every POST and Stripe's error semantics for the core's retry layer.
 */
export const stripeConnector: Connector<typeof StripeConfig, StripeContext, StripeActions, StripeStreams, StripeWebhooks> =
  /* @__PURE__ */ defineConnector({
    id: 'stripe',
    name: 'Stripe',
    category: 'payments',
    version: STRIPE_CONNECTOR_VERSION,
    config: StripeConfig,
    auth: ['bearer'],
    setup(config, runtime): StripeContext {
      const http = runtime.createHttpClient({
        baseUrl: config.baseUrl ?? STRIPE_DEFAULT_BASE_URL,
        auth: { type: 'bearer', token: config.apiKey },
        headers: { 'Stripe-Version': config.apiVersion ?? STRIPE_API_VERSION },
        classifyError: classifyStripeError,
        requestIdHeaders: ['request-id'],
        ...(config.allowInsecureHttp && { allowInsecureHttp: true }),
        ...(config.timeoutMs !== undefined && { timeoutMs: config.timeoutMs }),
        retry: { retries: config.maxRetries ?? 2, minDelayMs: 500, maxDelayMs: 8_000 },
      });
      const secrets = config.webhookSecret === undefined ? [] : [config.webhookSecret].flat();
      return { http, webhookSecrets: Object.freeze(secrets) };
    },
    async check(ctx, signal) {
      // The cheapest authenticated read; proves the key and the version header are accepted.
      await ctx.http.request({
        path: '/v1/balance',
        operation: 'check',
        signal,
        schema: Balance,
      });
    },
    actions: stripeActions,
    streams: stripeStreams,
    webhooks: stripeWebhooks,
  });

/** A configured Stripe connector instance (actions, the `payments` stream, the `events` webhook). */
export type StripeConnectorInstance = ConnectorInstance<StripeActions, StripeStreams, StripeWebhooks>;

/**
 * A Stripe connector instance, the same shape as every other connector's: actions under
 * `stripe.actions` (`stripe.actions.createPaymentIntent(params)`), the `payments` stream under
 * `stripe.streams`, the `events` webhook under `stripe.webhooks`.
 */
export type StripeConnector = StripeConnectorInstance;

/**
 * Creates a Stripe connector. The config is validated (a ConfigError names the bad field, never its
 * value) and `apiKey` / `webhookSecret` are registered with the redactor.
 *
 * @example
 * const stripe = createStripeConnector({ apiKey: process.env.STRIPE_SECRET_KEY! });
 * const pi = await stripe.actions.createPaymentIntent({ amount: 15050, currency: 'sar' }, { idempotencyKey: 'order-42' });
 */
export function createStripeConnector(config: StripeConfigInput, options?: ConnectorInstanceOptions): StripeConnector {
  return stripeConnector.create(config, options);
}
