import { stripeKit } from '../stripe-context.js';
import type { ActionDefinition } from '@hmi/core';
import { StripePaymentIntent } from '../shared/objects.js';
import { type StripeContext, getJson, omitKeys, postForm } from '../stripe-context.js';
import { PaymentIntentCancelParams, PaymentIntentCreateParams, PaymentIntentRetrieveParams } from './params.js';

/** `POST /v1/payment_intents`. Not idempotent by nature: it always carries an Idempotency-Key. */
export const createPaymentIntent: ActionDefinition<StripeContext, typeof PaymentIntentCreateParams, typeof StripePaymentIntent> =
  /* @__PURE__ */ stripeKit.action({
    description: 'Creates a PaymentIntent (POST /v1/payment_intents).',
    idempotent: false,
    input: PaymentIntentCreateParams,
    output: StripePaymentIntent,
    run: (params, ctx: StripeContext, call) => postForm(ctx, '/v1/payment_intents', params, StripePaymentIntent, call),
  });

/** `GET /v1/payment_intents/:id`. */
export const retrievePaymentIntent: ActionDefinition<
  StripeContext,
  typeof PaymentIntentRetrieveParams,
  typeof StripePaymentIntent
> = /* @__PURE__ */ stripeKit.action({
  description: 'Retrieves a PaymentIntent (GET /v1/payment_intents/:id).',
  idempotent: true,
  input: PaymentIntentRetrieveParams,
  output: StripePaymentIntent,
  run: (params, ctx: StripeContext, call) => {
    const { id, expand } = typeof params === 'string' ? { id: params, expand: undefined } : params;
    return getJson(
      ctx,
      `/v1/payment_intents/${id}`,
      expand ? { expand } : undefined,
      StripePaymentIntent,
      call.operation,
      call.signal,
    );
  },
});

/**
 * `POST /v1/payment_intents/:id/cancel`. A second cancel is refused by Stripe, so it is a
 * non-idempotent POST with a key like any other.
 */
export const cancelPaymentIntent: ActionDefinition<StripeContext, typeof PaymentIntentCancelParams, typeof StripePaymentIntent> =
  /* @__PURE__ */ stripeKit.action({
    description: 'Cancels a PaymentIntent (POST /v1/payment_intents/:id/cancel).',
    idempotent: false,
    input: PaymentIntentCancelParams,
    output: StripePaymentIntent,
    run: (params, ctx: StripeContext, call) =>
      postForm(ctx, `/v1/payment_intents/${params.id}/cancel`, omitKeys(params, 'id'), StripePaymentIntent, call),
  });
