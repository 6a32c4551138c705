// Tap's wire shapes (validated on every response; only the fields the connector uses are required)
// and the records hosts get: the canonical Payment with what Tap adds.
import { Payment, PaymentMethod } from '@hmi/core/schemas';
import { z } from 'zod';
import { fromTapAmount } from './shared/amounts.js';

/** The metadata key that links a Tap charge to the CRM contact. */
export const CONTACT_ID_METADATA_KEY = 'hmi_contact_id';

/** Charge and authorize statuses Tap documents. */
export const TapChargeStatus = z.enum([
  'INITIATED',
  'IN_PROGRESS',
  'ABANDONED',
  'CANCELLED',
  'FAILED',
  'DECLINED',
  'RESTRICTED',
  'CAPTURED',
  'AUTHORIZED',
  'VOID',
  'TIMEDOUT',
  'UNKNOWN',
]);

/** A charge or an authorization as the API returns it (only what the connector reads; never the customer). */
export const WireCharge = z.looseObject({
  id: z.string().regex(/^(chg|auth)_[A-Za-z0-9]+$/),
  object: z.string().max(32).optional(),
  live_mode: z.boolean().optional(),
  status: z.string().max(32),
  amount: z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]),
  currency: z.string().length(3),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  transaction: z.looseObject({
    created: z.union([z.string().regex(/^\d{1,16}$/), z.number().int()]),
    url: z.string().url().nullish(),
  }),
  reference: z
    .looseObject({
      transaction: z.string().nullish(),
      order: z.string().nullish(),
      gateway: z.string().nullish(),
      payment: z.string().nullish(),
      idempotent: z.string().nullish(),
    })
    .nullish(),
  response: z.looseObject({ code: z.string().max(16).nullish() }).nullish(),
  source: z.looseObject({ id: z.string().max(64).nullish(), payment_method: z.string().max(32).nullish() }).nullish(),
});
/** A charge or authorization as the API returns it. */
export type WireCharge = z.infer<typeof WireCharge>;

/** A page of `POST /v2/charges/list`. */
export const WireChargeList = z.looseObject({ has_more: z.boolean().optional(), charges: z.array(WireCharge) });

/** A refund as the API returns it. */
export const WireRefund = z.looseObject({
  id: z.string().regex(/^re_[A-Za-z0-9]+$/),
  status: z.string().max(32),
  amount: z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]),
  currency: z.string().length(3),
  charge_id: z.string(),
  created: z.union([z.string().regex(/^\d{1,16}$/), z.number().int()]).nullish(),
  reference: z.looseObject({ merchant: z.string().nullish(), idempotent: z.string().nullish() }).nullish(),
});
/** A refund as the API returns it. */
export type WireRefund = z.infer<typeof WireRefund>;

const METHODS: Readonly<Record<string, PaymentMethod>> = {
  KNET: 'knet',
  BENEFIT: 'benefit',
  BENEFITPAY: 'benefitpay',
  MADA: 'mada',
  VISA: 'visa',
  MASTERCARD: 'mastercard',
  AMERICAN_EXPRESS: 'amex',
  AMEX: 'amex',
  APPLE_PAY: 'applepay',
  GOOGLE_PAY: 'googlepay',
  SAMSUNG_PAY: 'samsungpay',
  STC_PAY: 'stcpay',
  OMANNET: 'omannet',
  NAPS: 'naps',
  FAWRY: 'fawry',
};

const SOURCE_IDS: Readonly<Record<string, PaymentMethod>> = {
  'src_kw.knet': 'knet',
  'src_bh.benefit': 'benefit',
  'src_sa.mada': 'mada',
  src_benefitpay: 'benefitpay',
  src_apple_pay: 'applepay',
  src_stcpay: 'stcpay',
  'src_om.omannet': 'omannet',
  'src_qa.naps': 'naps',
  'src_eg.fawry': 'fawry',
};

/** The canonical method of a charge: Tap's `payment_method`, else what its source id names. */
export function tapMethodOf(source: WireCharge['source']): PaymentMethod | undefined {
  const named = source?.payment_method ? METHODS[source.payment_method.toUpperCase()] : undefined;
  if (named) return named;
  const id = source?.id ?? '';
  if (SOURCE_IDS[id]) return SOURCE_IDS[id];
  return id.startsWith('tok_') || id === 'src_card' ? 'card' : undefined;
}

/** A Tap charge or authorization as the connector returns it: the canonical Payment plus Tap's own fields. */
export const TapPayment = Payment.extend({
  /** How the patient paid: the scheme for cards (`mada`, `visa`, …), else the wallet or network. */
  method: PaymentMethod.optional(),
  /** `charge` or `authorize`. */
  kind: z.enum(['charge', 'authorize']),
  /** Tap's status (`INITIATED`, `CAPTURED`, `AUTHORIZED`, …). */
  tapStatus: z.string(),
  /** Where to send the payer (3-D Secure, KNET, Benefit pages) while `INITIATED`. */
  transactionUrl: z.string().url().optional(),
  /** The CRM's transaction reference (`reference.transaction`). */
  transactionRef: z.string().optional(),
  /** Tap's gateway and payment references (`reference.gateway`, `reference.payment`). */
  gatewayReference: z.string().optional(),
  paymentReference: z.string().optional(),
  /** The gateway's response code (`response.code`). */
  responseCode: z.string().optional(),
});
/** A Tap charge or authorization. */
export type TapPayment = z.infer<typeof TapPayment>;

const STATUS: Readonly<Record<string, Payment['status']>> = {
  INITIATED: 'pending',
  IN_PROGRESS: 'processing',
  AUTHORIZED: 'pending',
  CAPTURED: 'succeeded',
  ABANDONED: 'canceled',
  CANCELLED: 'canceled',
  VOID: 'canceled',
  TIMEDOUT: 'canceled',
  FAILED: 'failed',
  DECLINED: 'failed',
  RESTRICTED: 'failed',
};

const iso = (ms: string | number) => new Date(Number(ms)).toISOString();

/** Maps a wire charge or authorization to the canonical record; amounts in minor units (fils, halalas, baisa). */
export function toTapPayment(wire: WireCharge): TapPayment {
  const currency = wire.currency.toUpperCase();
  const initiated = wire.status === 'INITIATED';
  const status = initiated && wire.transaction.url ? 'requires_action' : (STATUS[wire.status] ?? 'processing');
  const contactId = wire.metadata?.[CONTACT_ID_METADATA_KEY];
  const ref = wire.reference ?? {};
  const method = tapMethodOf(wire.source);
  const code = wire.response?.code ?? undefined;
  return {
    id: wire.id,
    source: { system: 'tap', id: wire.id },
    kind: wire.id.startsWith('auth_') ? 'authorize' : 'charge',
    ...(typeof contactId === 'string' && contactId && { contactId }),
    ...(ref.order && { invoiceId: ref.order }),
    status,
    tapStatus: wire.status,
    amountMinor: fromTapAmount(wire.amount, currency),
    currency,
    ...(method && { method }),
    ...(status === 'failed' && code && { failureCode: `tap_${code}` }),
    ...(code && { responseCode: code }),
    ...(initiated && wire.transaction.url && { transactionUrl: wire.transaction.url }),
    ...(ref.transaction && { transactionRef: ref.transaction }),
    ...(ref.gateway && { gatewayReference: ref.gateway }),
    ...(ref.payment && { paymentReference: ref.payment }),
    createdAt: iso(wire.transaction.created),
  };
}

/** A Tap refund as the connector returns it. */
export const TapRefund = z.object({
  id: z.string(),
  chargeId: z.string(),
  /** Tap's status: `PENDING`, `REFUNDED`, `FAILED`, `CANCELLED`. */
  status: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  createdAt: z.string().optional(),
});
/** A Tap refund. */
export type TapRefund = z.infer<typeof TapRefund>;

/** Maps a wire refund. */
export function toTapRefund(wire: WireRefund): TapRefund {
  const currency = wire.currency.toUpperCase();
  return {
    id: wire.id,
    chargeId: wire.charge_id,
    status: wire.status,
    amountMinor: fromTapAmount(wire.amount, currency),
    currency,
    ...(wire.created !== undefined && wire.created !== null && { createdAt: iso(wire.created) }),
  };
}
