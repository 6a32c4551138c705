// Two kinds of schema: Moyasar's wire shapes (validated on every response, only the fields the
// connector uses are required) and the records hosts get (the canonical Payment, camelCase).
import { Payment, PaymentMethod } from '@hmi/core/schemas';
import { z } from 'zod';

/** The metadata key that links a Moyasar payment or invoice to the CRM contact. */
export const CONTACT_ID_METADATA_KEY = 'hmi_contact_id';
/** The metadata key that links a payment or invoice to the CRM's (or ERP's) invoice id. */
export const INVOICE_ID_METADATA_KEY = 'hmi_invoice_id';

/** Payment statuses Moyasar documents (Payment Status Reference). */
export const MoyasarPaymentStatus = z.enum([
  'initiated',
  'paid',
  'authorized',
  'captured',
  'failed',
  'refunded',
  'voided',
  'verified',
]);
/** A Moyasar payment status. */
export type MoyasarPaymentStatus = z.infer<typeof MoyasarPaymentStatus>;

/** The response `source` of a payment: only what the connector reads (never name, number or mobile). */
export const WireSource = z.looseObject({
  type: z.string().max(32),
  company: z.string().max(32).nullish(),
  message: z.string().max(500).nullish(),
  response_code: z.string().max(8).nullish(),
  transaction_url: z.string().url().nullish(),
});

/** A payment as the API returns it. */
export const WirePayment = z.looseObject({
  id: z.string().uuid(),
  status: z.string().max(32),
  amount: z.number().int().nonnegative(),
  fee: z.number().int().nonnegative().nullish(),
  currency: z.string().length(3),
  refunded: z.number().int().nonnegative().nullish(),
  captured: z.number().int().nonnegative().nullish(),
  invoice_id: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  failure_reason: z.string().max(100).nullish(),
  source: WireSource,
});
/** A payment as the API returns it. */
export type WirePayment = z.infer<typeof WirePayment>;

/** Paging metadata of Moyasar's list endpoints. */
export const WireMeta = z.looseObject({
  current_page: z.number().int(),
  next_page: z.number().int().nullish(),
  total_pages: z.number().int().nullish(),
});

/** A page of `GET /v1/payments`. */
export const WirePaymentPage = z.looseObject({ payments: z.array(WirePayment), meta: WireMeta });

/** Invoice statuses Moyasar documents. */
export const MoyasarInvoiceStatus = z.enum([
  'initiated',
  'paid',
  'failed',
  'refunded',
  'canceled',
  'on_hold',
  'expired',
  'voided',
]);

/** An invoice (a hosted payment link) as the API returns it. */
export const WireInvoice = z.looseObject({
  id: z.string().uuid(),
  status: z.string().max(32),
  amount: z.coerce.number().int().nonnegative(),
  currency: z.string().length(3),
  url: z.string().url(),
  expired_at: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  payments: z.array(WirePayment).nullish(),
});
/** An invoice as the API returns it. */
export type WireInvoice = z.infer<typeof WireInvoice>;

/** A page of `GET /v1/invoices`. */
export const WireInvoicePage = z.looseObject({ invoices: z.array(WireInvoice), meta: WireMeta });

/**
 * Why a payment was declined, as a stable enum over Moyasar's gateway response codes (ISO 8583)
 * and 3-D Secure failures — for reporting and for what to tell the patient. `unknown` when
 * Moyasar gave no code the connector knows.
 */
export const MoyasarDeclineReason = z.enum([
  'insufficient_funds',
  'do_not_honor',
  'expired_card',
  'invalid_card',
  'lost_or_stolen',
  'suspected_fraud',
  'restricted_card',
  'incorrect_pin',
  'invalid_cvv',
  'limit_exceeded',
  'invalid_amount',
  'duplicate_transaction',
  'authentication_failed',
  'issuer_unavailable',
  'processing_error',
  'unknown',
]);
/** Why a payment was declined. */
export type MoyasarDeclineReason = z.infer<typeof MoyasarDeclineReason>;

const RESPONSE_CODES: Readonly<Record<string, MoyasarDeclineReason>> = {
  '51': 'insufficient_funds',
  '05': 'do_not_honor',
  '01': 'do_not_honor',
  '02': 'do_not_honor',
  '54': 'expired_card',
  '33': 'expired_card',
  '14': 'invalid_card',
  '15': 'invalid_card',
  '56': 'invalid_card',
  '06': 'invalid_card',
  '41': 'lost_or_stolen',
  '43': 'lost_or_stolen',
  '04': 'lost_or_stolen',
  '07': 'lost_or_stolen',
  '34': 'suspected_fraud',
  '59': 'suspected_fraud',
  '63': 'suspected_fraud',
  '67': 'suspected_fraud',
  '35': 'suspected_fraud',
  '37': 'suspected_fraud',
  '36': 'restricted_card',
  '62': 'restricted_card',
  '57': 'restricted_card',
  '93': 'restricted_card',
  '55': 'incorrect_pin',
  '75': 'incorrect_pin',
  '38': 'incorrect_pin',
  '82': 'invalid_cvv',
  '61': 'limit_exceeded',
  '65': 'limit_exceeded',
  '13': 'invalid_amount',
  '64': 'invalid_amount',
  '94': 'duplicate_transaction',
  '90': 'issuer_unavailable',
  '91': 'issuer_unavailable',
  '92': 'issuer_unavailable',
  '96': 'processing_error',
  '12': 'processing_error',
  '30': 'processing_error',
};

/** The stable decline reason of a failed payment (undefined unless it failed). */
export function declineReasonOf(
  payment: Pick<WirePayment, 'status' | 'source' | 'failure_reason'>,
): MoyasarDeclineReason | undefined {
  if (payment.status !== 'failed') return undefined;
  const code = payment.source.response_code ?? undefined;
  if (code !== undefined && RESPONSE_CODES[code]) return RESPONSE_CODES[code];
  if (payment.failure_reason?.startsWith('3ds_') || payment.source.message?.startsWith('3-D Secure'))
    return 'authentication_failed';
  return 'unknown';
}

const COMPANY: Readonly<Record<string, PaymentMethod>> = {
  mada: 'mada',
  visa: 'visa',
  master: 'mastercard',
  mastercard: 'mastercard',
  amex: 'amex',
};

/** The canonical method of a payment source: the scheme for cards, the wallet for wallets. */
export function methodOf(source: z.infer<typeof WireSource>): PaymentMethod {
  switch (source.type) {
    case 'creditcard':
    case 'token':
      return COMPANY[source.company?.toLowerCase() ?? ''] ?? 'card';
    case 'applepay':
      return 'applepay';
    case 'samsungpay':
      return 'samsungpay';
    case 'googlepay':
      return 'googlepay';
    case 'stcpay':
      return 'stcpay';
    case 'sadad':
      return 'sadad';
    default:
      return 'other';
  }
}

/** A Moyasar payment as the connector returns it: the canonical Payment plus what Moyasar adds. */
export const MoyasarPayment = Payment.extend({
  /** How the patient paid: the scheme for cards (`mada`, `visa`, …), else the wallet or network. */
  method: PaymentMethod.optional(),
  /** Moyasar's own status (`initiated`, `paid`, `authorized`, …). */
  moyasarStatus: z.string(),
  /** Where to send the payer to finish (3-D Secure page, STC Pay OTP form) while `initiated`. */
  transactionUrl: z.string().url().optional(),
  /** Amount captured so far, minor units (manual payments). */
  capturedMinor: z.number().int().optional(),
  /** Why the payment was declined, when it failed. */
  declineReason: MoyasarDeclineReason.optional(),
  /** The Moyasar invoice (hosted payment link) this payment paid, when it paid one. */
  moyasarInvoiceId: z.string().optional(),
});
/** A Moyasar payment. */
export type MoyasarPayment = z.infer<typeof MoyasarPayment>;

function stringMeta(metadata: Record<string, unknown> | null | undefined, key: string): string | undefined {
  const value = metadata?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Maps a wire payment to the canonical record. Amounts stay in minor units (halalas for SAR). */
export function toMoyasarPayment(wire: WirePayment): MoyasarPayment {
  const refunded = wire.refunded ?? 0;
  const settled = wire.captured && wire.captured > 0 ? wire.captured : wire.amount;
  let status: Payment['status'];
  switch (wire.status) {
    case 'paid':
    case 'captured':
      status = refunded > 0 ? (refunded >= settled ? 'refunded' : 'partially_refunded') : 'succeeded';
      break;
    case 'refunded':
      status = refunded > 0 && refunded < settled ? 'partially_refunded' : 'refunded';
      break;
    case 'initiated':
      status = wire.source.transaction_url ? 'requires_action' : 'pending';
      break;
    case 'failed':
      status = 'failed';
      break;
    case 'voided':
      status = 'canceled';
      break;
    // `authorized` holds funds until captured; `verified` checked a card without charging it.
    case 'authorized':
    case 'verified':
      status = 'pending';
      break;
    default:
      status = 'processing';
  }
  const contactId = stringMeta(wire.metadata, CONTACT_ID_METADATA_KEY);
  const invoiceId = stringMeta(wire.metadata, INVOICE_ID_METADATA_KEY);
  const declineReason = declineReasonOf(wire);
  return {
    id: wire.id,
    source: { system: 'moyasar', id: wire.id },
    ...(contactId && { contactId }),
    ...(invoiceId && { invoiceId }),
    status,
    moyasarStatus: wire.status,
    amountMinor: wire.amount,
    currency: wire.currency.toUpperCase(),
    ...(refunded > 0 && { refundedMinor: refunded }),
    ...(wire.captured !== undefined && wire.captured !== null && wire.captured > 0 && { capturedMinor: wire.captured }),
    method: methodOf(wire.source),
    ...(wire.fee !== undefined && wire.fee !== null && { feeMinor: wire.fee }),
    ...(declineReason && { failureCode: declineReason, declineReason }),
    ...(wire.status === 'initiated' && wire.source.transaction_url && { transactionUrl: wire.source.transaction_url }),
    ...(wire.invoice_id && { moyasarInvoiceId: wire.invoice_id }),
    createdAt: wire.created_at,
    ...(wire.updated_at && { updatedAt: wire.updated_at }),
  };
}

/** A Moyasar invoice (hosted payment link) as the connector returns it. */
export const MoyasarInvoice = z.object({
  id: z.string(),
  status: z.string(),
  /** The hosted payment page to send the patient to. */
  url: z.string().url(),
  amountMinor: z.number().int(),
  currency: z.string(),
  contactId: z.string().optional(),
  /** The CRM's invoice id, from metadata. */
  invoiceId: z.string().optional(),
  expiresAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
  /** Payment attempts against the invoice. */
  payments: z.array(MoyasarPayment),
});
/** A Moyasar invoice. */
export type MoyasarInvoice = z.infer<typeof MoyasarInvoice>;

/** Maps a wire invoice to the connector's record. */
export function toMoyasarInvoice(wire: WireInvoice): MoyasarInvoice {
  const contactId = stringMeta(wire.metadata, CONTACT_ID_METADATA_KEY);
  const invoiceId = stringMeta(wire.metadata, INVOICE_ID_METADATA_KEY);
  return {
    id: wire.id,
    status: wire.status,
    url: wire.url,
    amountMinor: wire.amount,
    currency: wire.currency.toUpperCase(),
    ...(contactId && { contactId }),
    ...(invoiceId && { invoiceId }),
    ...(wire.expired_at && { expiresAt: wire.expired_at }),
    createdAt: wire.created_at,
    ...(wire.updated_at && { updatedAt: wire.updated_at }),
    payments: (wire.payments ?? []).map(toMoyasarPayment),
  };
}
