// The connector's zod schemas as they were before issue 22 moved them to valibot (commit 964988a),
// kept as the reference the valibot schemas are compared with (test/schema-differential.test.ts):
// same inputs accepted and refused, same outputs. Test-only; nothing in src imports this.
import { phi } from '@hmi/core';
import { z } from 'zod';
import {
  AddressParam,
  Amount,
  checkChargeable,
  Currency,
  CustomerId,
  Email,
  Expand,
  inCallerOrder,
  Metadata,
  PaymentIntentId,
  stripeId,
  Unset,
} from './params.js';

// ---- src/payment-intents/params.ts

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

// ---- src/checkout-sessions/params.ts

// Typed after `POST /v1/checkout/sessions` (spec3 requestBody). `success_url` was required in the
// 2023 description; today it is optional for embedded sessions, which use `return_url`.

const ProductData = z.looseObject({
  name: z.string().min(1).max(5000),
  description: z.string().max(40000).optional(),
  images: z.array(z.string()).max(8).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  tax_code: z.string().optional(),
});

const PriceData = z
  .looseObject({
    currency: Currency,
    product: z.string().max(5000).optional(),
    product_data: ProductData.optional(),
    recurring: z
      .looseObject({ interval: z.enum(['day', 'month', 'week', 'year']), interval_count: z.number().int().optional() })
      .optional(),
    tax_behavior: z.enum(['exclusive', 'inclusive', 'unspecified']).optional(),
    unit_amount: Amount.optional(),
    unit_amount_decimal: z
      .string()
      .regex(/^\d+(\.\d{1,12})?$/)
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (p.product === undefined && p.product_data === undefined) {
      ctx.addIssue({ code: 'custom', path: ['product_data'], message: 'give product or product_data' });
    }
    checkChargeable(ctx, p.unit_amount, p.currency, ['unit_amount']);
  });

const LineItem = z
  .looseObject({
    price: z.string().max(5000).optional(),
    price_data: PriceData.optional(),
    quantity: z.number().int().positive().optional(),
    adjustable_quantity: z
      .looseObject({ enabled: z.boolean(), maximum: z.number().int().optional(), minimum: z.number().int().optional() })
      .optional(),
    tax_rates: z.array(z.string()).optional(),
  })
  .refine((item) => item.price !== undefined || item.price_data !== undefined, 'give price or price_data');

const CheckoutSessionCreateShape = z
  .looseObject({
    mode: z.enum(['payment', 'setup', 'subscription']).optional(),
    line_items: z.array(LineItem).max(100).optional(),
    success_url: z.string().url().max(5000).optional(),
    cancel_url: z.string().url().max(5000).optional(),
    return_url: z.string().url().max(5000).optional(),
    ui_mode: z.string().optional(),
    allow_promotion_codes: z.boolean().optional(),
    billing_address_collection: z.enum(['auto', 'required']).optional(),
    client_reference_id: z.string().max(200).optional(),
    currency: Currency.optional(),
    customer: CustomerId.optional(),
    customer_creation: z.enum(['always', 'if_required']).optional(),
    customer_email: Email.optional(),
    expand: Expand.optional(),
    expires_at: z.number().int().optional(),
    locale: z.string().max(10).optional(),
    metadata: z.record(z.string().max(40), z.string().max(500)).optional(),
    payment_intent_data: z
      .looseObject({
        capture_method: z.enum(['automatic', 'automatic_async', 'manual']).optional(),
        description: z.string().max(1000).optional(),
        metadata: z.record(z.string().max(40), z.string().max(500)).optional(),
        receipt_email: Email.optional(),
        setup_future_usage: z.enum(['off_session', 'on_session']).optional(),
        statement_descriptor: z.string().max(22).optional(),
        statement_descriptor_suffix: z.string().max(22).optional(),
      })
      .optional(),
    payment_method_types: z.array(z.string().min(1)).optional(),
    phone_number_collection: z.looseObject({ enabled: z.boolean() }).optional(),
    submit_type: z.enum(['auto', 'book', 'donate', 'pay']).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.success_url === undefined && p.return_url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['success_url'], message: 'give success_url (or return_url for embedded sessions)' });
    }
    if ((p.mode ?? 'payment') === 'payment' && (p.line_items === undefined || p.line_items.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['line_items'], message: 'a payment session needs at least one line item' });
    }
  });

/** Params of `createCheckoutSession`: Stripe's own names (`line_items`, `success_url`, `cancel_url`, …). */
export const CheckoutSessionCreateParams: z.ZodType<
  z.output<typeof CheckoutSessionCreateShape>,
  z.input<typeof CheckoutSessionCreateShape>
> = inCallerOrder(CheckoutSessionCreateShape);
/** Params of `createCheckoutSession`. */
export type CheckoutSessionCreateParams = z.input<typeof CheckoutSessionCreateShape>;

// ---- src/refunds/params.ts

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

// ---- src/customers/params.ts

// Typed after `POST /v1/customers` (spec3 requestBody). Names, phones and emails are PHI: they go
// to Stripe and nowhere else (not to telemetry, not into errors).
const CustomerCreateShape = z.looseObject({
  email: Email.optional(),
  name: phi(z.string().max(256)).optional(),
  phone: phi(z.string().max(20)).optional(),
  description: z.string().max(5000).optional(),
  address: z.union([AddressParam, z.literal('')]).optional(),
  metadata: Metadata.optional(),
  preferred_locales: z.array(z.string().max(5000)).optional(),
  payment_method: z.string().max(5000).optional(),
  expand: Expand.optional(),
});

/** Params of `createCustomer`: Stripe's own names (`email`, `name`, `phone`, `preferred_locales`, …). */
export const CustomerCreateParams: z.ZodType<
  z.output<typeof CustomerCreateShape>,
  z.input<typeof CustomerCreateShape>
> = inCallerOrder(CustomerCreateShape);
/** Params of `createCustomer`. */
export type CustomerCreateParams = z.input<typeof CustomerCreateShape>;

/** Params of `findCustomerByEmail`. */
export const FindCustomerByEmailParams = z.object({ email: Email });
/** Params of `findCustomerByEmail`. */
export type FindCustomerByEmailParams = z.input<typeof FindCustomerByEmailParams>;
