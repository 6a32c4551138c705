import { z } from 'zod';
import { inCallerOrder } from '../shared/key-order.js';
import {
  AddressParam,
  Amount,
  checkChargeable,
  Currency,
  CustomerId,
  Email,
  Expand,
  Metadata,
  PaymentIntentId,
  Unset,
} from '../shared/params.js';

// Typed after `POST /v1/payment_intents` in Stripe's OpenAPI description (spec3, requestBody),
// with today's additions (`request_three_d_secure: challenge`). Objects are loose: a parameter
// Stripe adds later passes through to the form body unchanged.

const CardOptions = z.looseObject({
  capture_method: z.union([z.enum(['manual']), Unset]).optional(),
  request_three_d_secure: z.enum(['any', 'automatic', 'challenge']).optional(),
  setup_future_usage: z.union([z.enum(['none', 'off_session', 'on_session']), Unset]).optional(),
  statement_descriptor_suffix_kana: z.union([z.string().max(22), Unset]).optional(),
});

const Shipping = z.union([
  z.looseObject({
    address: AddressParam,
    name: z.string().max(5000),
    carrier: z.string().max(5000).optional(),
    phone: z.string().max(5000).optional(),
    tracking_number: z.string().max(5000).optional(),
  }),
  Unset,
]);

const PaymentIntentCreateShape = z
  .looseObject({
    /** Amount in the currency's smallest unit (Stripe's unit: 15050 = 150.50 SAR, 1250 = 1.250 KWD). */
    amount: Amount.positive(),
    currency: Currency,
    automatic_payment_methods: z
      .looseObject({ enabled: z.boolean(), allow_redirects: z.enum(['always', 'never']).optional() })
      .optional(),
    capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
    confirm: z.boolean().optional(),
    confirmation_method: z.enum(['automatic', 'manual']).optional(),
    customer: CustomerId.optional(),
    description: z.string().max(1000).optional(),
    expand: Expand.optional(),
    metadata: Metadata.optional(),
    off_session: z.union([z.boolean(), z.enum(['one_off', 'recurring'])]).optional(),
    on_behalf_of: z.string().max(5000).optional(),
    payment_method: z.string().max(5000).optional(),
    payment_method_options: z.looseObject({ card: z.union([CardOptions, Unset]).optional() }).optional(),
    payment_method_types: z.array(z.string().min(1).max(5000)).optional(),
    receipt_email: Email.optional(),
    return_url: z.string().max(5000).optional(),
    setup_future_usage: z.enum(['off_session', 'on_session']).optional(),
    shipping: Shipping.optional(),
    statement_descriptor: z.string().max(22).optional(),
    statement_descriptor_suffix: z.string().max(22).optional(),
    transfer_group: z.string().optional(),
    application_fee_amount: Amount.optional(),
  })
  .superRefine((p, ctx) => checkChargeable(ctx, p.amount, p.currency, ['amount']));

/** Params of `createPaymentIntent`: Stripe's own names (`amount`, `currency`, `metadata`, …). */
export const PaymentIntentCreateParams: z.ZodType<
  z.output<typeof PaymentIntentCreateShape>,
  z.input<typeof PaymentIntentCreateShape>
> = inCallerOrder(PaymentIntentCreateShape);
/** Params of `createPaymentIntent`. */
export type PaymentIntentCreateParams = z.input<typeof PaymentIntentCreateShape>;

/** Params of `retrievePaymentIntent`: the id, or the id with `expand`. */
export const PaymentIntentRetrieveParams = z.union([
  PaymentIntentId,
  z.object({ id: PaymentIntentId, expand: Expand.optional() }),
]);
/** Params of `retrievePaymentIntent`. */
export type PaymentIntentRetrieveParams = z.input<typeof PaymentIntentRetrieveParams>;

const PaymentIntentCancelShape = z.looseObject({
  id: PaymentIntentId,
  cancellation_reason: z.enum(['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  expand: Expand.optional(),
});
/** Params of `cancelPaymentIntent`: the id and Stripe's cancel parameters. */
export const PaymentIntentCancelParams: z.ZodType<
  z.output<typeof PaymentIntentCancelShape>,
  z.input<typeof PaymentIntentCancelShape>
> = inCallerOrder(PaymentIntentCancelShape);
/** Params of `cancelPaymentIntent`. */
export type PaymentIntentCancelParams = z.input<typeof PaymentIntentCancelShape>;
