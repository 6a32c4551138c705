import { phi, secret } from '@hmi/core';
import * as v from 'valibot';
import { finite, int, loose, record } from './schema.js';

// Response schemas: the fields this connector reads, typed as in Stripe's API at the pinned version
// (checked against fixtures3.json by the contract tests); every other field passes through.
// Validate what is used, tolerate what is not: a field no mapping reads is optional, so an older
// API version, a trimmed object or a new field cannot make a successful write look failed (a
// PaymentIntent without `canceled_at`) or an authentic event unmappable.

const Int = int();
/** Unix seconds. */
const Timestamp = Int;
const Metadata = record(v.string(), v.string());
/** An id, or the object when expanded. */
const Expandable = v.union([v.string(), loose({ id: v.string() })]);
const str = v.string();
const bool = v.boolean();

/** The error a failed payment attempt left on a PaymentIntent: codes only are read. */
export const StripeLastPaymentError = loose({
  type: str,
  code: v.optional(str),
  decline_code: v.optional(str),
});

/** A Charge, as far as the connector reads it. */
export const StripeCharge = loose({
  id: str,
  object: v.literal('charge'),
  amount: Int,
  amount_refunded: v.optional(Int),
  currency: str,
  created: Timestamp,
  customer: v.nullish(Expandable),
  disputed: v.optional(bool),
  failure_code: v.nullish(str),
  metadata: v.nullish(Metadata),
  paid: v.optional(bool),
  payment_intent: v.nullish(Expandable),
  receipt_email: v.nullish(/* @__PURE__ */ phi(v.string())),
  refunded: v.optional(bool),
  status: v.picklist(['succeeded', 'pending', 'failed']),
});
/** A Charge. */
export type StripeCharge = v.InferOutput<typeof StripeCharge>;

/** A PaymentIntent, as far as the connector reads it. */
export const StripePaymentIntent = loose({
  id: str,
  object: v.literal('payment_intent'),
  amount: Int,
  amount_received: v.optional(Int),
  canceled_at: v.nullish(Timestamp),
  cancellation_reason: v.nullish(str),
  capture_method: v.optional(str),
  /** Give it to Stripe.js in the browser; never log it. */
  client_secret: v.nullish(/* @__PURE__ */ secret(v.string())),
  created: Timestamp,
  currency: str,
  customer: v.nullish(Expandable),
  description: v.nullish(/* @__PURE__ */ phi(v.string())),
  last_payment_error: v.nullish(StripeLastPaymentError),
  latest_charge: v.nullish(v.union([str, StripeCharge])),
  livemode: v.optional(bool),
  metadata: v.nullish(Metadata),
  payment_method_types: v.optional(v.array(str)),
  receipt_email: v.nullish(/* @__PURE__ */ phi(v.string())),
  status: v.picklist([
    'requires_payment_method',
    'requires_confirmation',
    'requires_action',
    'processing',
    'requires_capture',
    'canceled',
    'succeeded',
  ]),
});
/** A PaymentIntent. */
export type StripePaymentIntent = v.InferOutput<typeof StripePaymentIntent>;

/** A Refund, as far as the connector reads it. */
export const StripeRefund = loose({
  id: str,
  object: v.literal('refund'),
  amount: Int,
  charge: v.nullish(Expandable),
  created: v.optional(Timestamp),
  currency: str,
  metadata: v.nullish(Metadata),
  payment_intent: v.nullish(Expandable),
  reason: v.nullish(str),
  /** pending, requires_action, succeeded, failed or canceled. */
  status: v.nullish(str),
  /** Why a refund failed (`lost_or_stolen_card`, `expired_or_canceled_card`, …). */
  failure_reason: v.nullish(str),
});
/** A Refund. */
export type StripeRefund = v.InferOutput<typeof StripeRefund>;

/** A Checkout Session, as far as the connector reads it. */
export const StripeCheckoutSession = loose({
  id: str,
  object: v.literal('checkout.session'),
  amount_total: v.nullish(Int),
  cancel_url: v.nullish(str),
  client_reference_id: v.nullish(str),
  created: Timestamp,
  currency: v.nullish(str),
  customer: v.nullish(Expandable),
  expires_at: v.optional(Timestamp),
  livemode: v.optional(bool),
  metadata: v.nullish(Metadata),
  mode: v.picklist(['payment', 'setup', 'subscription']),
  payment_intent: v.nullish(Expandable),
  payment_status: v.picklist(['paid', 'unpaid', 'no_payment_required']),
  status: v.nullish(v.picklist(['open', 'complete', 'expired'])),
  success_url: v.nullish(str),
  /** The page to send the customer to. */
  url: v.nullish(str),
});
/** A Checkout Session. */
export type StripeCheckoutSession = v.InferOutput<typeof StripeCheckoutSession>;

/** A Customer, as far as the connector reads it. */
export const StripeCustomer = loose({
  id: str,
  object: v.literal('customer'),
  created: Timestamp,
  email: v.nullable(/* @__PURE__ */ phi(v.string())),
  livemode: bool,
  metadata: Metadata,
  name: v.nullable(/* @__PURE__ */ phi(v.string())),
  phone: v.nullable(/* @__PURE__ */ phi(v.string())),
});
/** A Customer. */
export type StripeCustomer = v.InferOutput<typeof StripeCustomer>;

/** A Dispute, as far as the connector reads it. */
export const StripeDispute = loose({
  id: str,
  object: v.literal('dispute'),
  amount: Int,
  charge: Expandable,
  created: Timestamp,
  currency: str,
  payment_intent: v.nullish(Expandable),
  reason: v.optional(str),
  status: str,
});
/** A Dispute. */
export type StripeDispute = v.InferOutput<typeof StripeDispute>;

/** An invoice line, as far as the connector reads it. */
export const StripeInvoiceLine = loose({
  id: str,
  amount: Int,
  currency: str,
  description: v.nullish(/* @__PURE__ */ phi(v.string())),
  quantity: v.nullish(Int),
});

/** An Invoice, as far as the connector reads it. */
export const StripeInvoice = loose({
  id: str,
  object: v.literal('invoice'),
  amount_due: Int,
  amount_paid: Int,
  amount_remaining: v.optional(Int),
  created: Timestamp,
  currency: str,
  customer: v.nullish(Expandable),
  due_date: v.nullish(Timestamp),
  lines: v.optional(loose({ data: v.array(StripeInvoiceLine), has_more: v.optional(bool) })),
  metadata: v.nullish(Metadata),
  number: v.nullish(str),
  status: v.nullish(v.picklist(['draft', 'open', 'paid', 'uncollectible', 'void'])),
  status_transitions: v.optional(loose({ finalized_at: v.nullish(Timestamp), paid_at: v.nullish(Timestamp) })),
  total: Int,
});
/** An Invoice. */
export type StripeInvoice = v.InferOutput<typeof StripeInvoice>;

/** An InvoicePayment (`invoice_payment.paid`): a payment applied to an invoice. */
export const StripeInvoicePayment = loose({
  id: str,
  object: v.literal('invoice_payment'),
  amount_paid: v.nullish(Int),
  amount_requested: v.nullish(Int),
  currency: str,
  invoice: Expandable,
  payment: v.nullish(loose({ type: v.optional(str), payment_intent: v.nullish(Expandable), charge: v.nullish(Expandable) })),
  status: str,
  status_transitions: v.nullish(loose({ paid_at: v.nullish(Timestamp) })),
  created: v.optional(Timestamp),
});
/** An InvoicePayment. */
export type StripeInvoicePayment = v.InferOutput<typeof StripeInvoicePayment>;

/** A list page (`GET /v1/…`). */
/* @__NO_SIDE_EFFECTS__ */
export function stripeList<T extends v.GenericSchema>(item: T) {
  return loose({ object: v.literal('list'), data: v.array(item), has_more: bool });
}

/**
 * A webhook event as `verifyStripeWebhook` returns it: the whole parsed payload, checked to be an
 * event (an `id` and a `type`), every field kept.
 */
export const StripeEvent = loose({
  id: v.pipe(v.string(), v.minLength(1)),
  type: v.pipe(v.string(), v.minLength(1)),
  object: v.optional(v.literal('event')),
  api_version: v.nullish(str),
  created: v.optional(finite()),
  livemode: v.optional(bool),
  data: v.optional(loose({ object: record(v.string(), v.unknown()) })),
});
/** A verified Stripe event. */
export type StripeEvent = v.InferOutput<typeof StripeEvent>;
