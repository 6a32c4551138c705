import { stripeKit } from '../stripe-context.js';
import type { ActionDefinition } from '@hmi/core';
import { StripeCheckoutSession } from '../shared/objects.js';
import { type StripeContext, postForm } from '../stripe-context.js';
import { CheckoutSessionCreateParams } from './params.js';

/** `POST /v1/checkout/sessions`: a hosted payment page; send the patient to the returned `url`. */
export const createCheckoutSession: ActionDefinition<
  StripeContext,
  typeof CheckoutSessionCreateParams,
  typeof StripeCheckoutSession
> = /* @__PURE__ */ stripeKit.action({
  description: 'Creates a Checkout Session (POST /v1/checkout/sessions).',
  idempotent: false,
  input: CheckoutSessionCreateParams,
  output: StripeCheckoutSession,
  run: (params, ctx: StripeContext, call) => postForm(ctx, '/v1/checkout/sessions', params, StripeCheckoutSession, call),
});
