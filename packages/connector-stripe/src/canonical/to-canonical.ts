import type { Invoice, Payment } from '@hmi/core';
import type {
  StripeCharge,
  StripeCheckoutSession,
  StripeDispute,
  StripeInvoice,
  StripePaymentIntent,
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
  if (charge.disputed) return { status: 'disputed', refundedMinor: fromStripeAmount(charge.amount_refunded, currency) };
  if (charge.amount_refunded > 0) {
    return {
      status: charge.refunded || charge.amount_refunded >= amount ? 'refunded' : 'partially_refunded',
      refundedMinor: fromStripeAmount(charge.amount_refunded, currency),
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
  const failed = pi.status === 'requires_payment_method' && pi.last_payment_error !== null;
  const failureCode = pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code;
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge !== null ? pi.latest_charge : undefined;
  const payment: Payment = {
    id: pi.id,
    source: { system: SOURCE, id: pi.id },
    ...links(pi.metadata),
    status: failed ? 'failed' : INTENT_STATUS[pi.status],
    ...money(pi.amount, pi.currency),
    ...(pi.payment_method_types[0] !== undefined && { method: pi.payment_method_types[0] }),
    ...(failed && failureCode !== undefined && { failureCode }),
    ...(pi.receipt_email !== null && { receiptEmail: pi.receipt_email }),
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
    ...(charge.failure_code !== null && { failureCode: charge.failure_code }),
    ...(charge.receipt_email !== null && { receiptEmail: charge.receipt_email }),
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

/** A payment-mode Checkout Session as a canonical Payment, keyed by its PaymentIntent. */
export function paymentFromCheckoutSession(session: StripeCheckoutSession, asyncFailed = false): Payment | undefined {
  if (session.mode !== 'payment' || session.amount_total === null || session.currency === null) return undefined;
  const status: PaymentStatus = asyncFailed
    ? 'failed'
    : session.payment_status === 'paid'
      ? 'succeeded'
      : session.status === 'expired'
        ? 'canceled'
        : 'pending';
  return {
    id: idOf(session.payment_intent) ?? session.id,
    source: { system: SOURCE, id: session.id },
    ...links(session.metadata),
    ...(session.client_reference_id && { contactId: session.client_reference_id }),
    status,
    ...money(session.amount_total, session.currency),
    createdAt: iso(session.created)!,
  };
}

/** A Stripe Invoice as a canonical Invoice. Lines are those in the event (Stripe sends the first page). */
export function invoiceFromStripe(invoice: StripeInvoice): Invoice {
  const currency = invoice.currency;
  return {
    id: invoice.id,
    source: { system: SOURCE, id: invoice.id },
    ...(invoice.number !== null && { number: invoice.number }),
    ...(invoice.metadata?.[CONTACT_ID_METADATA_KEY] && { contactId: invoice.metadata[CONTACT_ID_METADATA_KEY] }),
    status: invoice.status ?? 'draft',
    currency: currency.toUpperCase(),
    totalMinor: fromStripeAmount(invoice.total, currency),
    amountDueMinor: fromStripeAmount(invoice.amount_due, currency),
    amountPaidMinor: fromStripeAmount(invoice.amount_paid, currency),
    lines: invoice.lines.data.map((line) => {
      const quantity = line.quantity ?? 1;
      const total = fromStripeAmount(line.amount, line.currency);
      return {
        ...(line.description !== null && { description: line.description }),
        quantity,
        // Stripe reports line totals; a unit price is exact only when the total divides evenly.
        unitAmountMinor: quantity > 0 && total % quantity === 0 ? total / quantity : total,
        totalMinor: total,
      };
    }),
    issuedAt: iso(invoice.status_transitions.finalized_at ?? invoice.created)!,
    ...(invoice.due_date !== null && { dueAt: iso(invoice.due_date)! }),
  };
}
