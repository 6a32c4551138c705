import { z } from 'zod';
import { inCallerOrder } from '../shared/key-order.js';
import { Amount, checkChargeable, Currency, Email, Expand, Metadata, PaymentIntentId, stripeId } from '../shared/params.js';

// Typed after `POST /v1/refunds` (spec3 requestBody).
const RefundCreateShape = z
  .looseObject({
    payment_intent: PaymentIntentId.optional(),
    charge: stripeId(['ch', 'py']).optional(),
    /** Part of the payment to refund, in Stripe's unit; the whole remaining amount when absent. */
    amount: Amount.positive().optional(),
    currency: Currency.optional(),
    reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
    metadata: Metadata.optional(),
    instructions_email: Email.optional(),
    expand: Expand.optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.payment_intent === undefined) === (p.charge === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['payment_intent'], message: 'give exactly one of payment_intent or charge' });
    }
    checkChargeable(ctx, p.amount, p.currency, ['amount']);
  });

/** Params of `createRefund`: `payment_intent` (or `charge`), optional `amount`, `reason`, `metadata`. */
export const RefundCreateParams: z.ZodType<z.output<typeof RefundCreateShape>, z.input<typeof RefundCreateShape>> = inCallerOrder(
  RefundCreateShape,
);
/** Params of `createRefund`. */
export type RefundCreateParams = z.input<typeof RefundCreateShape>;
