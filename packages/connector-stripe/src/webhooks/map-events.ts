import { type Invoice, type Payment, ValidationError, type WebhookEvent, formatIssues } from '@hmi/core';
import type * as v from 'valibot';
import {
  invoiceFromStripe,
  type PaymentRefund,
  paymentFromCharge,
  paymentFromCheckoutSession,
  paymentFromDispute,
  paymentFromIntent,
  paymentFromInvoicePayment,
  refundFromStripe,
} from '../canonical/to-canonical.js';
import {
  StripeCharge,
  StripeCheckoutSession,
  StripeDispute,
  type StripeEvent,
  StripeInvoice,
  StripeInvoicePayment,
  StripePaymentIntent,
  StripeRefund,
} from '../shared/objects.js';
import { strip } from '../shared/schema.js';
import { runSchema } from '@hmi/core/internal';

/**
 * What a Stripe webhook event carries once mapped: a canonical Payment, a refund of a Payment, or
 * an Invoice, else the event only (`other`: a type the connector does not map).
 */
export type StripeWebhookData =
  | { kind: 'payment'; payment: Payment; event: StripeEvent }
  | { kind: 'refund'; refund: PaymentRefund; event: StripeEvent }
  | { kind: 'invoice'; invoice: Invoice; event: StripeEvent }
  | { kind: 'other'; event: StripeEvent };

/** A mapped Stripe webhook event; `id` is Stripe's event id, the key to drop redeliveries by. */
export type StripeWebhookEvent = WebhookEvent<StripeWebhookData>;

// Each object schema without its pass-through of unknown keys, made on first use: a mapping reads
// only the fields the schema names, and copying the other ~40 keys of an event's object costs more
// than checking the ones it reads. Same inputs accepted and refused as the loose schema.
const readers = new WeakMap<object, v.GenericSchema>();
function reader(schema: v.LooseObjectSchema<v.ObjectEntries, undefined>): v.GenericSchema {
  let strict = readers.get(schema);
  if (!strict) readers.set(schema, (strict = strip(schema.entries)));
  return strict;
}

function readObject<S extends v.LooseObjectSchema<v.ObjectEntries, undefined>>(schema: S, event: StripeEvent): v.InferOutput<S> {
  const result = runSchema(reader(schema), event.data?.object);
  // The loose type's other keys are simply absent: no mapping reads them.
  if (result.ok) return result.value as v.InferOutput<S>;
  const issues = result.issues.map((i) => ({ ...i, path: ['data', 'object', ...i.path] }));
  throw new ValidationError(`Stripe event ${event.type} does not carry the expected object: ${formatIssues(issues)}`, {
    code: 'invalid_webhook_payload',
    issues,
    connector: 'stripe',
    operation: 'webhook',
  });
}

function toData(event: StripeEvent): StripeWebhookData {
  const type = event.type;
  const group = type.slice(0, type.lastIndexOf('.'));
  if (group === 'payment_intent') {
    return { kind: 'payment', payment: paymentFromIntent(readObject(StripePaymentIntent, event)), event };
  }
  if (group === 'charge' && type !== 'charge.expired') {
    return { kind: 'payment', payment: paymentFromCharge(readObject(StripeCharge, event)), event };
  }
  // A refund's own lifecycle (created, updated, failed): its status and amount, so that a failed
  // refund corrects an earlier `charge.refunded`. `charge.refund.updated` carries the same object.
  if (group === 'refund' || group === 'charge.refund') {
    return { kind: 'refund', refund: refundFromStripe(readObject(StripeRefund, event)), event };
  }
  if (type === 'invoice_payment.paid') {
    return { kind: 'payment', payment: paymentFromInvoicePayment(readObject(StripeInvoicePayment, event)), event };
  }
  if (group === 'charge.dispute') {
    return { kind: 'payment', payment: paymentFromDispute(readObject(StripeDispute, event)), event };
  }
  if (group === 'checkout.session') {
    const payment = paymentFromCheckoutSession(
      readObject(StripeCheckoutSession, event),
      type === 'checkout.session.async_payment_failed',
    );
    return { kind: 'payment', payment, event };
  }
  if (group === 'invoice' && type !== 'invoice.deleted' && type !== 'invoice.upcoming') {
    return { kind: 'invoice', invoice: invoiceFromStripe(readObject(StripeInvoice, event)), event };
  }
  return { kind: 'other', event };
}

/**
 * Maps a verified Stripe event: `payment_intent.*`, `charge.*` (succeeded, failed, refunded, …),
 * `charge.dispute.*`, `checkout.session.*` (also without amounts) and `invoice_payment.paid` to a
 * canonical Payment (succeeded, failed, refunded, disputed, …); `refund.created/updated/failed` and
 * `charge.refund.updated` to `kind: 'refund'` with the refund's status and amount; `invoice.*`
 * (paid, payment_failed, finalized, voided, …) to a canonical Invoice; anything else is passed on
 * as `kind: 'other'`. Only the fields a mapping reads are checked: a ValidationError names the
 * missing one (its path, never its value).
 */
export function mapStripeEvent(event: StripeEvent): StripeWebhookEvent {
  return {
    id: event.id,
    type: event.type,
    ...(typeof event.created === 'number' && { occurredAt: new Date(event.created * 1000).toISOString() }),
    data: toData(event),
  };
}

/**
 * Maps several events, keeping the first of each event id: Stripe redelivers an event until it is
 * acknowledged, and a batch (a replay, an events-list backfill) can hold the same one twice.
 * Dedupe across calls in your flow layer with the `id` of each result.
 */
export function mapStripeEvents(events: readonly StripeEvent[]): StripeWebhookEvent[] {
  const seen = new Set<string>();
  const out: StripeWebhookEvent[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    out.push(mapStripeEvent(event));
  }
  return out;
}
