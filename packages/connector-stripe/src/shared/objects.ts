import { phi, secret } from '@hmi/core';
import { z } from 'zod';

// Response schemas: the fields this connector reads, typed as in Stripe's API at the pinned version
// (checked against fixtures3.json by the contract tests); every other field passes through.

const Timestamp = z.number().int();
const Metadata = z.record(z.string(), z.string());
/** An id, or the object when expanded. */
const Expandable = z.union([z.string(), z.looseObject({ id: z.string() })]);

/** The error a failed payment attempt left on a PaymentIntent: codes only are read. */
export const StripeLastPaymentError = z.looseObject({
  type: z.string(),
  code: z.string().optional(),
  decline_code: z.string().optional(),
});

/** A Charge, as far as the connector reads it. */
export const StripeCharge = z.looseObject({
  id: z.string(),
  object: z.literal('charge'),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  currency: z.string(),
  created: Timestamp,
  customer: Expandable.nullable(),
  disputed: z.boolean(),
  failure_code: z.string().nullable(),
  metadata: Metadata,
  paid: z.boolean(),
  payment_intent: Expandable.nullable(),
  receipt_email: phi(z.string()).nullable(),
  refunded: z.boolean(),
  status: z.enum(['succeeded', 'pending', 'failed']),
});
/** A Charge. */
export type StripeCharge = z.infer<typeof StripeCharge>;

/** A PaymentIntent, as far as the connector reads it. */
export const StripePaymentIntent = z.looseObject({
  id: z.string(),
  object: z.literal('payment_intent'),
  amount: z.number().int(),
  amount_received: z.number().int(),
  canceled_at: Timestamp.nullable(),
  cancellation_reason: z.string().nullable(),
  capture_method: z.string(),
  /** Give it to Stripe.js in the browser; never log it. */
  client_secret: secret(z.string()).nullable(),
  created: Timestamp,
  currency: z.string(),
  customer: Expandable.nullable(),
  description: phi(z.string()).nullable(),
  last_payment_error: StripeLastPaymentError.nullable(),
  latest_charge: z.union([z.string(), StripeCharge]).nullable(),
  livemode: z.boolean(),
  metadata: Metadata,
  payment_method_types: z.array(z.string()),
  receipt_email: phi(z.string()).nullable(),
  status: z.enum([
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
export type StripePaymentIntent = z.infer<typeof StripePaymentIntent>;

/** A Refund, as far as the connector reads it. */
export const StripeRefund = z.looseObject({
  id: z.string(),
  object: z.literal('refund'),
  amount: z.number().int(),
  charge: Expandable.nullable(),
  created: Timestamp,
  currency: z.string(),
  metadata: Metadata.nullable(),
  payment_intent: Expandable.nullable(),
  reason: z.string().nullable(),
  status: z.string().nullable(),
});
/** A Refund. */
export type StripeRefund = z.infer<typeof StripeRefund>;

/** A Checkout Session, as far as the connector reads it. */
export const StripeCheckoutSession = z.looseObject({
  id: z.string(),
  object: z.literal('checkout.session'),
  amount_total: z.number().int().nullable(),
  cancel_url: z.string().nullable(),
  client_reference_id: z.string().nullable(),
  created: Timestamp,
  currency: z.string().nullable(),
  customer: Expandable.nullable(),
  expires_at: Timestamp,
  livemode: z.boolean(),
  metadata: Metadata.nullable(),
  mode: z.enum(['payment', 'setup', 'subscription']),
  payment_intent: Expandable.nullable(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  status: z.enum(['open', 'complete', 'expired']).nullable(),
  success_url: z.string().nullable(),
  url: z.string().nullable(),
});
/** A Checkout Session. */
export type StripeCheckoutSession = z.infer<typeof StripeCheckoutSession>;

/** A Customer, as far as the connector reads it. */
export const StripeCustomer = z.looseObject({
  id: z.string(),
  object: z.literal('customer'),
  created: Timestamp,
  email: phi(z.string()).nullable(),
  livemode: z.boolean(),
  metadata: Metadata,
  name: phi(z.string()).nullable(),
  phone: phi(z.string()).nullable(),
});
/** A Customer. */
export type StripeCustomer = z.infer<typeof StripeCustomer>;

/** A Dispute, as far as the connector reads it. */
export const StripeDispute = z.looseObject({
  id: z.string(),
  object: z.literal('dispute'),
  amount: z.number().int(),
  charge: Expandable,
  created: Timestamp,
  currency: z.string(),
  payment_intent: Expandable.nullable(),
  reason: z.string(),
  status: z.string(),
});
/** A Dispute. */
export type StripeDispute = z.infer<typeof StripeDispute>;

/** An invoice line, as far as the connector reads it. */
export const StripeInvoiceLine = z.looseObject({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  description: phi(z.string()).nullable(),
  quantity: z.number().int().nullable(),
});

/** An Invoice, as far as the connector reads it. */
export const StripeInvoice = z.looseObject({
  id: z.string(),
  object: z.literal('invoice'),
  amount_due: z.number().int(),
  amount_paid: z.number().int(),
  amount_remaining: z.number().int(),
  created: Timestamp,
  currency: z.string(),
  customer: Expandable.nullable(),
  due_date: Timestamp.nullable(),
  lines: z.looseObject({ data: z.array(StripeInvoiceLine), has_more: z.boolean() }),
  metadata: Metadata.nullable(),
  number: z.string().nullable(),
  status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']).nullable(),
  status_transitions: z.looseObject({ finalized_at: Timestamp.nullable(), paid_at: Timestamp.nullable() }),
  total: z.number().int(),
});
/** An Invoice. */
export type StripeInvoice = z.infer<typeof StripeInvoice>;

/** A list page (`GET /v1/…`). */
export function stripeList<T extends z.ZodType>(item: T) {
  return z.looseObject({ object: z.literal('list'), data: z.array(item), has_more: z.boolean() });
}

/** A search result page (`GET /v1/…/search`). */
export function stripeSearchResult<T extends z.ZodType>(item: T) {
  return z.looseObject({
    object: z.literal('search_result'),
    data: z.array(item),
    has_more: z.boolean(),
    next_page: z.string().nullable(),
  });
}

/**
 * A webhook event as `verifyStripeWebhook` returns it: the whole parsed payload, checked to be an
 * event (an `id` and a `type`), every field kept.
 */
export const StripeEvent = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  object: z.literal('event').optional(),
  api_version: z.string().nullable().optional(),
  created: z.number().optional(),
  livemode: z.boolean().optional(),
  data: z.looseObject({ object: z.record(z.string(), z.unknown()) }).optional(),
});
/** A verified Stripe event. */
export type StripeEvent = z.infer<typeof StripeEvent>;
