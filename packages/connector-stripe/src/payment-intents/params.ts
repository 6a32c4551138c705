import * as v from 'valibot';
import {
  AddressParam,
  Amount,
  chargeable,
  Currency,
  CustomerId,
  Email,
  Expand,
  Metadata,
  maxString,
  PaymentIntentId,
  PositiveAmount,
  Unset,
} from '../shared/params.js';
import { inCallerOrder, loose, refine, strip } from '../shared/schema.js';

// Typed after `POST /v1/payment_intents` in Stripe's OpenAPI description (spec3, requestBody),
// with today's additions (`request_three_d_secure: challenge`). Objects are loose: a parameter
// Stripe adds later passes through to the form body unchanged.

const CardOptions = loose({
  capture_method: v.optional(v.union([v.picklist(['manual']), Unset])),
  request_three_d_secure: v.optional(v.picklist(['any', 'automatic', 'challenge'])),
  setup_future_usage: v.optional(v.union([v.picklist(['none', 'off_session', 'on_session']), Unset])),
  statement_descriptor_suffix_kana: v.optional(v.union([maxString(22), Unset])),
});

const Shipping = v.union([
  loose({
    address: AddressParam,
    name: maxString(5000),
    carrier: v.optional(maxString(5000)),
    phone: v.optional(maxString(5000)),
    tracking_number: v.optional(maxString(5000)),
  }),
  Unset,
]);

const PaymentIntentCreateShape = v.pipe(
  loose({
    /** Amount in the currency's smallest unit (Stripe's unit: 15050 = 150.50 SAR, 1250 = 1.250 KWD). */
    amount: PositiveAmount,
    currency: Currency,
    automatic_payment_methods: v.optional(
      loose({ enabled: v.boolean(), allow_redirects: v.optional(v.picklist(['always', 'never'])) }),
    ),
    capture_method: v.optional(v.picklist(['automatic', 'automatic_async', 'manual'])),
    confirm: v.optional(v.boolean()),
    confirmation_method: v.optional(v.picklist(['automatic', 'manual'])),
    customer: v.optional(CustomerId),
    description: v.optional(maxString(1000)),
    expand: v.optional(Expand),
    metadata: v.optional(Metadata),
    off_session: v.optional(v.union([v.boolean(), v.picklist(['one_off', 'recurring'])])),
    on_behalf_of: v.optional(maxString(5000)),
    payment_method: v.optional(maxString(5000)),
    payment_method_options: v.optional(loose({ card: v.optional(v.union([CardOptions, Unset])) })),
    payment_method_types: v.optional(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(5000)))),
    receipt_email: v.optional(Email),
    return_url: v.optional(maxString(5000)),
    setup_future_usage: v.optional(v.picklist(['off_session', 'on_session'])),
    shipping: v.optional(Shipping),
    statement_descriptor: v.optional(maxString(22)),
    statement_descriptor_suffix: v.optional(maxString(22)),
    transfer_group: v.optional(v.string()),
    application_fee_amount: v.optional(Amount),
  }),
  refine(chargeable('amount')),
);

/** Params of `createPaymentIntent`: Stripe's own names (`amount`, `currency`, `metadata`, …). */
export const PaymentIntentCreateParams: typeof PaymentIntentCreateShape = inCallerOrder(PaymentIntentCreateShape);
/** Params of `createPaymentIntent`. */
export type PaymentIntentCreateParams = v.InferInput<typeof PaymentIntentCreateShape>;

/** Params of `retrievePaymentIntent`: the id, or the id with `expand`. */
export const PaymentIntentRetrieveParams = v.union([PaymentIntentId, strip({ id: PaymentIntentId, expand: v.optional(Expand) })]);
/** Params of `retrievePaymentIntent`. */
export type PaymentIntentRetrieveParams = v.InferInput<typeof PaymentIntentRetrieveParams>;

const PaymentIntentCancelShape = loose({
  id: PaymentIntentId,
  cancellation_reason: v.optional(v.picklist(['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'])),
  expand: v.optional(Expand),
});
/** Params of `cancelPaymentIntent`: the id and Stripe's cancel parameters. */
export const PaymentIntentCancelParams: typeof PaymentIntentCancelShape = inCallerOrder(PaymentIntentCancelShape);
/** Params of `cancelPaymentIntent`. */
export type PaymentIntentCancelParams = v.InferInput<typeof PaymentIntentCancelShape>;
