import * as v from 'valibot';
import { chargeable, Currency, Email, Expand, Metadata, PaymentIntentId, PositiveAmount, stripeId } from '../shared/params.js';
import { inCallerOrder, loose, refine } from '../shared/schema.js';

// Typed after `POST /v1/refunds` (spec3 requestBody).
const RefundCreateShape = v.pipe(
  loose({
    payment_intent: v.optional(PaymentIntentId),
    charge: v.optional(stripeId(['ch', 'py'])),
    /** Part of the payment to refund, in Stripe's unit; the whole remaining amount when absent. */
    amount: v.optional(PositiveAmount),
    currency: v.optional(Currency),
    reason: v.optional(v.picklist(['duplicate', 'fraudulent', 'requested_by_customer'])),
    metadata: v.optional(Metadata),
    instructions_email: v.optional(Email),
    expand: v.optional(Expand),
  }),
  refine(
    (p) =>
      (p.payment_intent === undefined) === (p.charge === undefined)
        ? ['payment_intent', 'give exactly one of payment_intent or charge']
        : undefined,
    chargeable('amount'),
  ),
);

/** Params of `createRefund`: `payment_intent` (or `charge`), optional `amount`, `reason`, `metadata`. */
export const RefundCreateParams: typeof RefundCreateShape = inCallerOrder(RefundCreateShape);
/** Params of `createRefund`. */
export type RefundCreateParams = v.InferInput<typeof RefundCreateShape>;
