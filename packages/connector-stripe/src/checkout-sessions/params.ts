import { z } from 'zod';
import { inCallerOrder } from '../shared/key-order.js';
import { Amount, checkChargeable, Currency, CustomerId, Email, Expand } from '../shared/params.js';

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
