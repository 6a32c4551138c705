import type { Invoice, Payment } from '@hmi/core';
import type {
  StripeCharge,
  StripeCheckoutSession,
  StripeDispute,
  StripeInvoice,
  StripeInvoicePayment,
  StripePaymentIntent,
  StripeRefund,
} from '../shared/objects.js';
import { fromStripeAmount } from '../shared/amounts.js';

/** The metadata keys that link a Stripe object to CRM records; set them when you create it. */
export const CONTACT_ID_METADATA_KEY = 'hmi_contact_id';
/** The metadata key that links a payment to a canonical invoice id. */
export const INVOICE_ID_METADATA_KEY = 'hmi_invoice_id';

const SOURCE = 'stripe';
type PaymentStatus = Payment['status'];

function iso(unixSeconds: number | null | undefined): string | undefined {
  return unixSeconds === null || unixSeconds === undefined ? undefined : new Date(unixSeconds * 1000).toISOString();
}

function idOf(value: string | { id: string } | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : value.id;
}

function links(metadata: Record<string, string> | null | undefined): Pick<Payment, 'contactId' | 'invoiceId'> {
  const contactId = metadata?.[CONTACT_ID_METADATA_KEY];
  const invoiceId = metadata?.[INVOICE_ID_METADATA_KEY];
  return { ...(contactId && { contactId }), ...(invoiceId && { invoiceId }) };
}

function money(amount: number, currency: string) {
  return { amountMinor: fromStripeAmount(amount, currency), currency: currency.toUpperCase() };
}

const INTENT_STATUS: Record<StripePaymentIntent['status'], PaymentStatus> = {
  requires_payment_method: 'pending',
  requires_confirmation: 'pending',
  requires_action: 'requires_action',
  processing: 'processing',
  requires_capture: 'pending',
  canceled: 'canceled',
  succeeded: 'succeeded',
};

function chargeState(charge: StripeCharge, amount: number, currency: string): Partial<Payment> {
  const refunded = charge.amount_refunded ?? 0;
  if (charge.disputed) return { status: 'disputed', refundedMinor: fromStripeAmount(refunded, currency) };
  if (refunded > 0) {
    return {
      status: charge.refunded || refunded >= amount ? 'refunded' : 'partially_refunded',
      refundedMinor: fromStripeAmount(refunded, currency),
    };
  }
  return {};
}

/**
 * A PaymentIntent as a canonical Payment. A PaymentIntent back at `requires_payment_method` after a
 * failed attempt is `failed` with the decline code; with `latest_charge` expanded, refunds and
 * disputes show as `refunded`, `partially_refunded` or `disputed`.
 */
export function paymentFromIntent(pi: StripePaymentIntent): Payment {
  const failed = pi.status === 'requires_payment_method' && pi.last_payment_error != null;
  const failureCode = pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code;
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge !== null ? pi.latest_charge : undefined;
  const payment: Payment = {
    id: pi.id,
    source: { system: SOURCE, id: pi.id },
    ...links(pi.metadata),
    status: failed ? 'failed' : INTENT_STATUS[pi.status],
    ...money(pi.amount, pi.currency),
    ...(pi.payment_method_types?.[0] !== undefined && { method: pi.payment_method_types[0] }),
    ...(failed && failureCode != null && { failureCode }),
    ...(pi.receipt_email != null && { receiptEmail: pi.receipt_email }),
    createdAt: iso(pi.created)!,
  };
  return charge && pi.status === 'succeeded' ? { ...payment, ...chargeState(charge, pi.amount, pi.currency) } : payment;
}

/** A Charge as a canonical Payment, keyed by its PaymentIntent when it has one. */
export function paymentFromCharge(charge: StripeCharge): Payment {
  const id = idOf(charge.payment_intent) ?? charge.id;
  const base: Payment = {
    id,
    source: { system: SOURCE, id: charge.id },
    ...links(charge.metadata),
    status: charge.status === 'succeeded' ? 'succeeded' : charge.status === 'failed' ? 'failed' : 'processing',
    ...money(charge.amount, charge.currency),
    ...(charge.failure_code != null && { failureCode: charge.failure_code }),
    ...(charge.receipt_email != null && { receiptEmail: charge.receipt_email }),
    createdAt: iso(charge.created)!,
  };
  return { ...base, ...chargeState(charge, charge.amount, charge.currency) };
}

/**
 * A Dispute as a canonical Payment: `disputed` while open or lost, back to `succeeded` when won
 * (or when an inquiry closed without a dispute). `amountMinor` is the disputed amount.
 */
export function paymentFromDispute(dispute: StripeDispute): Payment {
  const settledForUs = dispute.status === 'won' || dispute.status === 'warning_closed';
  return {
    id: idOf(dispute.payment_intent) ?? idOf(dispute.charge)!,
    source: { system: SOURCE, id: dispute.id },
    status: settledForUs ? 'succeeded' : 'disputed',
    ...money(dispute.amount, dispute.currency),
    ...(dispute.status === 'lost' && { failureCode: 'dispute_lost' }),
    updatedAt: iso(dispute.created)!,
  };
}

/**
 * ISO 4217's code for "no currency involved": the currency of a Checkout Session Stripe reports
 * without amounts (a setup-mode session, or a trimmed object), whose amount is then 0.
 */
export const NO_CURRENCY = 'XXX';

/**
 * A Checkout Session as a canonical Payment, keyed by its PaymentIntent. A session without amounts
 * (`amount_total` and `currency` null: setup mode, a trimmed object) still maps, with amount 0 in
 * {@link NO_CURRENCY}, so its completion or expiry reaches the CRM instead of being dropped.
 */
export function paymentFromCheckoutSession(session: StripeCheckoutSession, asyncFailed = false): Payment {
  const status: PaymentStatus = asyncFailed
    ? 'failed'
    : session.payment_status === 'paid'
      ? 'succeeded'
      : session.status === 'expired'
        ? 'canceled'
        : session.payment_status === 'no_payment_required' && session.status === 'complete'
          ? 'succeeded'
          : 'pending';
  const amount =
    session.amount_total != null && session.currency != null
      ? money(session.amount_total, session.currency)
      : { amountMinor: 0, currency: (session.currency ?? NO_CURRENCY).toUpperCase() };
  return {
    id: idOf(session.payment_intent) ?? session.id,
    source: { system: SOURCE, id: session.id },
    ...links(session.metadata),
    ...(session.client_reference_id && { contactId: session.client_reference_id }),
    status,
    ...amount,
    createdAt: iso(session.created)!,
  };
}

/** A Stripe Invoice as a canonical Invoice. Lines are those in the event (Stripe sends the first page). */
export function invoiceFromStripe(invoice: StripeInvoice): Invoice {
  const currency = invoice.currency;
  return {
    id: invoice.id,
    source: { system: SOURCE, id: invoice.id },
    ...(invoice.number != null && { number: invoice.number }),
    ...(invoice.metadata?.[CONTACT_ID_METADATA_KEY] && { contactId: invoice.metadata[CONTACT_ID_METADATA_KEY] }),
    status: invoice.status ?? 'draft',
    currency: currency.toUpperCase(),
    totalMinor: fromStripeAmount(invoice.total, currency),
    amountDueMinor: fromStripeAmount(invoice.amount_due, currency),
    amountPaidMinor: fromStripeAmount(invoice.amount_paid, currency),
    lines: (invoice.lines?.data ?? []).map((line) => {
      const quantity = line.quantity ?? 1;
      const total = fromStripeAmount(line.amount, line.currency);
      return {
        ...(line.description != null && { description: line.description }),
        quantity,
        // Stripe reports line totals; a unit price is exact only when the total divides evenly.
        unitAmountMinor: quantity > 0 && total % quantity === 0 ? total / quantity : total,
        totalMinor: total,
      };
    }),
    issuedAt: iso(invoice.status_transitions?.finalized_at ?? invoice.created)!,
    ...(invoice.due_date != null && { dueAt: iso(invoice.due_date)! }),
  };
}

/** A refund's state as Stripe reports it: `failed` and `canceled` undo an earlier refunded status. */
export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

/**
 * A refund of a payment, as carried by a `kind: 'refund'` webhook event (`refund.created`,
 * `refund.updated`, `refund.failed`, `charge.refund.updated`). `paymentId` is the id the Payment
 * has in the CRM (the PaymentIntent, else the Charge), so a host applies it to that Payment: add
 * `amountMinor` to the refunded amount while `pending`/`succeeded`, and take it back out when a
 * later event says `failed` or `canceled` (a failed refund corrects an earlier `charge.refunded`).
 */
export interface PaymentRefund {
  /** Stripe's refund id (`re_…`). */
  id: string;
  /** The canonical Payment's id: the PaymentIntent id, else the Charge id. */
  paymentId: string | undefined;
  /** The Charge refunded, when Stripe names it. */
  chargeId: string | undefined;
  status: RefundStatus;
  /** The refund's amount in minor units of `currency`. */
  amountMinor: number;
  currency: string;
  /** Stripe's reason code (`requested_by_customer`, `duplicate`, `fraudulent`), never free text. */
  reason?: string;
  /** Why it failed (`lost_or_stolen_card`, …), for `failed`. */
  failureReason?: string;
  createdAt?: string;
}

const REFUND_STATUSES: ReadonlySet<string> = new Set(['pending', 'requires_action', 'succeeded', 'failed', 'canceled']);

/** A Stripe Refund as a {@link PaymentRefund}; an unknown or missing status reads as `pending`. */
export function refundFromStripe(refund: StripeRefund): PaymentRefund {
  const status = (refund.status && REFUND_STATUSES.has(refund.status) ? refund.status : 'pending') as RefundStatus;
  const chargeId = idOf(refund.charge);
  return {
    id: refund.id,
    paymentId: idOf(refund.payment_intent) ?? chargeId,
    chargeId,
    status,
    ...money(refund.amount, refund.currency),
    ...(refund.reason != null && { reason: refund.reason }),
    ...(status === 'failed' && refund.failure_reason != null && { failureReason: refund.failure_reason }),
    ...(refund.created != null && { createdAt: iso(refund.created)! }),
  };
}

/**
 * An InvoicePayment (`invoice_payment.paid`) as a canonical Payment linked to its invoice, keyed by
 * its PaymentIntent (else its Charge, else itself) like the payment events of the same money.
 */
export function paymentFromInvoicePayment(ip: StripeInvoicePayment): Payment {
  const paymentId = idOf(ip.payment?.payment_intent) ?? idOf(ip.payment?.charge) ?? ip.id;
  const status: PaymentStatus = ip.status === 'paid' ? 'succeeded' : ip.status === 'canceled' ? 'canceled' : 'pending';
  const amount = ip.amount_paid ?? ip.amount_requested ?? 0;
  return {
    id: paymentId,
    source: { system: SOURCE, id: ip.id },
    invoiceId: idOf(ip.invoice)!,
    status,
    ...money(amount, ip.currency),
    ...(ip.created != null && { createdAt: iso(ip.created)! }),
    ...(ip.status_transitions?.paid_at != null && { updatedAt: iso(ip.status_transitions.paid_at)! }),
  };
}
