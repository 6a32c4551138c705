import { stripeKit } from '../stripe-context.js';
import type { ActionDefinition } from '@hmi/core';
import { StripeRefund } from '../shared/objects.js';
import { type StripeContext, postForm } from '../stripe-context.js';
import { RefundCreateParams } from './params.js';

/** `POST /v1/refunds`. Keyed like every POST, so a retried refund is made once. */
export const createRefund: ActionDefinition<StripeContext, typeof RefundCreateParams, typeof StripeRefund> =
  /* @__PURE__ */ stripeKit.action({
    description: 'Refunds a payment in full or in part (POST /v1/refunds).',
    idempotent: false,
    input: RefundCreateParams,
    output: StripeRefund,
    run: (params, ctx: StripeContext, call) => postForm(ctx, '/v1/refunds', params, StripeRefund, call),
  });
