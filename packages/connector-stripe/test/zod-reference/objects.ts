// The connector's zod schemas as they were before issue 22 moved them to valibot (commit 964988a),
// kept as the reference the valibot schemas are compared with (test/schema-differential.test.ts):
// same inputs accepted and refused, same outputs. Test-only; nothing in src imports this.
import { phi, secret } from '@hmi/core';
import { z } from 'zod';

// Response schemas: the fields this connector reads, typed as in Stripe's API at the pinned version
// (checked against fixtures3.json by the contract tests); every other field passes through.
// Validate what is used, tolerate what is not: a field no mapping reads is `.optional()`, so an
// older API version, a trimmed object or a new field cannot make a successful write look failed
// (a PaymentIntent without `canceled_at`) or an authentic event unmappable.

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
  amount_refunded: z.number().int().optional(),
  currency: z.string(),
  created: Timestamp,
  customer: Expandable.nullish(),
  disputed: z.boolean().optional(),
  failure_code: z.string().nullish(),
  metadata: Metadata.nullish(),
  paid: z.boolean().optional(),
  payment_intent: Expandable.nullish(),
  receipt_email: phi(z.string()).nullish(),
  refunded: z.boolean().optional(),
  status: z.enum(['succeeded', 'pending', 'failed']),
});
/** A Charge. */
export type StripeCharge = z.infer<typeof StripeCharge>;

/** A PaymentIntent, as far as the connector reads it. */
export const StripePaymentIntent = z.looseObject({
  id: z.string(),
  object: z.literal('payment_intent'),
  amount: z.number().int(),
  amount_received: z.number().int().optional(),
  canceled_at: Timestamp.nullish(),
  cancellation_reason: z.string().nullish(),
  capture_method: z.string().optional(),
  /** Give it to Stripe.js in the browser; never log it. */
  client_secret: secret(z.string()).nullish(),
  created: Timestamp,
  currency: z.string(),
  customer: Expandable.nullish(),
  description: phi(z.string()).nullish(),
  last_payment_error: StripeLastPaymentError.nullish(),
  latest_charge: z.union([z.string(), StripeCharge]).nullish(),
  livemode: z.boolean().optional(),
  metadata: Metadata.nullish(),
  payment_method_types: z.array(z.string()).optional(),
  receipt_email: phi(z.string()).nullish(),
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
  charge: Expandable.nullish(),
  created: Timestamp.optional(),
  currency: z.string(),
  metadata: Metadata.nullish(),
  payment_intent: Expandable.nullish(),
  reason: z.string().nullish(),
  /** pending, requires_action, succeeded, failed or canceled. */
  status: z.string().nullish(),
  /** Why a refund failed (`lost_or_stolen_card`, `expired_or_canceled_card`, …). */
  failure_reason: z.string().nullish(),
});
/** A Refund. */
export type StripeRefund = z.infer<typeof StripeRefund>;

/** A Checkout Session, as far as the connector reads it. */
export const StripeCheckoutSession = z.looseObject({
  id: z.string(),
  object: z.literal('checkout.session'),
  amount_total: z.number().int().nullish(),
  cancel_url: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  created: Timestamp,
  currency: z.string().nullish(),
  customer: Expandable.nullish(),
  expires_at: Timestamp.optional(),
  livemode: z.boolean().optional(),
  metadata: Metadata.nullish(),
  mode: z.enum(['payment', 'setup', 'subscription']),
  payment_intent: Expandable.nullish(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  status: z.enum(['open', 'complete', 'expired']).nullish(),
  success_url: z.string().nullish(),
  /** The page to send the customer to. */
  url: z.string().nullish(),
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
  payment_intent: Expandable.nullish(),
  reason: z.string().optional(),
  status: z.string(),
});
/** A Dispute. */
export type StripeDispute = z.infer<typeof StripeDispute>;

/** An invoice line, as far as the connector reads it. */
export const StripeInvoiceLine = z.looseObject({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  description: phi(z.string()).nullish(),
  quantity: z.number().int().nullish(),
});

/** An Invoice, as far as the connector reads it. */
export const StripeInvoice = z.looseObject({
  id: z.string(),
  object: z.literal('invoice'),
  amount_due: z.number().int(),
  amount_paid: z.number().int(),
  amount_remaining: z.number().int().optional(),
  created: Timestamp,
  currency: z.string(),
  customer: Expandable.nullish(),
  due_date: Timestamp.nullish(),
  lines: z.looseObject({ data: z.array(StripeInvoiceLine), has_more: z.boolean().optional() }).optional(),
  metadata: Metadata.nullish(),
  number: z.string().nullish(),
  status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']).nullish(),
  status_transitions: z.looseObject({ finalized_at: Timestamp.nullish(), paid_at: Timestamp.nullish() }).optional(),
  total: z.number().int(),
});
/** An Invoice. */
export type StripeInvoice = z.infer<typeof StripeInvoice>;

/** An InvoicePayment (`invoice_payment.paid`): a payment applied to an invoice. */
export const StripeInvoicePayment = z.looseObject({
  id: z.string(),
  object: z.literal('invoice_payment'),
  amount_paid: z.number().int().nullish(),
  amount_requested: z.number().int().nullish(),
  currency: z.string(),
  invoice: Expandable,
  payment: z
    .looseObject({ type: z.string().optional(), payment_intent: Expandable.nullish(), charge: Expandable.nullish() })
    .nullish(),
  status: z.string(),
  status_transitions: z.looseObject({ paid_at: Timestamp.nullish() }).nullish(),
  created: Timestamp.optional(),
});
/** An InvoicePayment. */
export type StripeInvoicePayment = z.infer<typeof StripeInvoicePayment>;

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

// ---- src/stripe-config.ts, src/payments/payments-stream.ts, src/stripe-error.ts
const ApiKey = secret(z.string().min(1).regex(/^\S+$/, 'must not contain whitespace'));
const WebhookSecret = secret(z.string().min(1).regex(/^\S+$/, 'must not contain whitespace'));

/** Config of {@link createStripeConnector}. `apiKey` and `webhookSecret` are secrets: never logged. */
export const StripeConfig = z.object({
  /** A secret (`sk_…`) or restricted (`rk_…`) key, sent as a bearer token. */
  apiKey: ApiKey,
  /**
   * The endpoint's signing secret (`whsec_…`), or several while you roll it: a payload signed with
   * any of them verifies.
   */
  webhookSecret: z.union([WebhookSecret, z.array(WebhookSecret).min(1)]).optional(),
  /** Overrides {@link STRIPE_API_VERSION}. The response schemas are written for the pinned version. */
  apiVersion: z.string().min(1).max(64).optional(),
  /** Default {@link STRIPE_DEFAULT_BASE_URL}; set it to a loopback or MSW origin in tests. */
  baseUrl: z.string().url().optional(),
  /** Permits an `http://` baseUrl. Only for loopback tests. */
  allowInsecureHttp: z.boolean().optional(),
  /** Per-attempt timeout in ms. Default 30 000 (Stripe's own SDK allows 80 000). */
  timeoutMs: z.number().int().positive().optional(),
  /** Retries after the first attempt. Default 2, as the official SDK. */
  maxRetries: z.number().int().min(0).max(10).optional(),
});
export const PaymentsCheckpoint = z.object({
  created: z.number().int().nonnegative(),
  ids: z.array(z.string()).max(10_000),
  pass: z
    .object({
      cursor: z.string().regex(/^pi_[A-Za-z0-9_]+$/),
      highest: z.number().int().nonnegative(),
      idsAtHighest: z.array(z.string()).max(10_000),
    })
    .optional(),
});
export const StripeErrorBody = z.object({
  error: z.object({
    type: z.string().max(100).optional(),
    code: z.string().max(200).optional(),
    decline_code: z.string().max(200).optional(),
    param: z.string().max(500).optional(),
  }),
});
