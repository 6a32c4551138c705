import * as v from 'valibot';
import { Amount, chargeable, Currency, CustomerId, Email, Expand, maxString } from '../shared/params.js';
import { inCallerOrder, int, loose, record, refine, url } from '../shared/schema.js';

// Typed after `POST /v1/checkout/sessions` (spec3 requestBody). `success_url` was required in the
// 2023 description; today it is optional for embedded sessions, which use `return_url`.

const ProductData = loose({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(5000)),
  description: v.optional(maxString(40000)),
  images: v.optional(v.pipe(v.array(v.string()), v.maxLength(8))),
  metadata: v.optional(record(v.string(), v.string())),
  tax_code: v.optional(v.string()),
});

const PriceData = v.pipe(
  loose({
    currency: Currency,
    product: v.optional(maxString(5000)),
    product_data: v.optional(ProductData),
    recurring: v.optional(loose({ interval: v.picklist(['day', 'month', 'week', 'year']), interval_count: v.optional(int()) })),
    tax_behavior: v.optional(v.picklist(['exclusive', 'inclusive', 'unspecified'])),
    unit_amount: v.optional(Amount),
    unit_amount_decimal: v.optional(v.pipe(v.string(), v.regex(/^\d+(\.\d{1,12})?$/))),
  }),
  refine(
    (p) =>
      p.product === undefined && p.product_data === undefined ? ['product_data', 'give product or product_data'] : undefined,
    chargeable('unit_amount'),
  ),
);

const LineItem = v.pipe(
  loose({
    price: v.optional(maxString(5000)),
    price_data: v.optional(PriceData),
    quantity: v.optional(v.pipe(int(), v.minValue(1))),
    adjustable_quantity: v.optional(loose({ enabled: v.boolean(), maximum: v.optional(int()), minimum: v.optional(int()) })),
    tax_rates: v.optional(v.array(v.string())),
  }),
  v.check((item) => item.price !== undefined || item.price_data !== undefined, 'give price or price_data'),
);

/* @__NO_SIDE_EFFECTS__ */
function ShortMetadata() {
  return v.optional(record(maxString(40), maxString(500)));
}

const CheckoutSessionCreateShape = v.pipe(
  loose({
    mode: v.optional(v.picklist(['payment', 'setup', 'subscription'])),
    line_items: v.optional(v.pipe(v.array(LineItem), v.maxLength(100))),
    success_url: v.optional(url(5000)),
    cancel_url: v.optional(url(5000)),
    return_url: v.optional(url(5000)),
    ui_mode: v.optional(v.string()),
    allow_promotion_codes: v.optional(v.boolean()),
    billing_address_collection: v.optional(v.picklist(['auto', 'required'])),
    client_reference_id: v.optional(maxString(200)),
    currency: v.optional(Currency),
    customer: v.optional(CustomerId),
    customer_creation: v.optional(v.picklist(['always', 'if_required'])),
    customer_email: v.optional(Email),
    expand: v.optional(Expand),
    expires_at: v.optional(int()),
    locale: v.optional(maxString(10)),
    metadata: ShortMetadata(),
    payment_intent_data: v.optional(
      loose({
        capture_method: v.optional(v.picklist(['automatic', 'automatic_async', 'manual'])),
        description: v.optional(maxString(1000)),
        metadata: ShortMetadata(),
        receipt_email: v.optional(Email),
        setup_future_usage: v.optional(v.picklist(['off_session', 'on_session'])),
        statement_descriptor: v.optional(maxString(22)),
        statement_descriptor_suffix: v.optional(maxString(22)),
      }),
    ),
    payment_method_types: v.optional(v.array(v.pipe(v.string(), v.minLength(1)))),
    phone_number_collection: v.optional(loose({ enabled: v.boolean() })),
    submit_type: v.optional(v.picklist(['auto', 'book', 'donate', 'pay'])),
  }),
  refine(
    (p) =>
      p.success_url === undefined && p.return_url === undefined
        ? ['success_url', 'give success_url (or return_url for embedded sessions)']
        : undefined,
    (p) =>
      (p.mode ?? 'payment') === 'payment' && (p.line_items === undefined || p.line_items.length === 0)
        ? ['line_items', 'a payment session needs at least one line item']
        : undefined,
  ),
);

/** Params of `createCheckoutSession`: Stripe's own names (`line_items`, `success_url`, `cancel_url`, …). */
export const CheckoutSessionCreateParams: typeof CheckoutSessionCreateShape = inCallerOrder(CheckoutSessionCreateShape);
/** Params of `createCheckoutSession`. */
export type CheckoutSessionCreateParams = v.InferInput<typeof CheckoutSessionCreateShape>;
