import { Payment } from '@hmi/core/schemas';
import { z } from 'zod';
import { odooDatetimeToIso, odooDateToIso } from '../shared/dates.js';
import { odooAmountToMinor } from '../shared/money.js';
import { Many2one, m2oId, m2oName, OptionalText, RecordId, text, WriteDate } from '../shared/wire.js';
import { currencyCode } from '../invoices/invoice-model.js';

/** The `account.payment` fields the payments stream reads (present on Odoo 16 to 19). */
export const PAYMENT_FIELDS = [
  'name',
  'payment_type',
  'partner_type',
  'partner_id',
  'amount',
  'currency_id',
  'state',
  'date',
  'payment_reference',
  'reconciled_invoice_ids',
  'payment_method_line_id',
] as const;

/** An `account.payment` as `search_read` returns it. */
export const WirePayment = z.object({
  id: RecordId,
  write_date: WriteDate,
  name: OptionalText,
  payment_type: z.enum(['inbound', 'outbound']).default('inbound'),
  partner_type: OptionalText,
  partner_id: Many2one.optional(),
  amount: z.number(),
  currency_id: Many2one,
  state: z.string(),
  date: OptionalText,
  payment_reference: OptionalText,
  reconciled_invoice_ids: z
    .union([z.array(RecordId), z.literal(false)])
    .optional()
    .transform((v) => v || []),
  payment_method_line_id: Many2one.optional(),
});
/** An `account.payment` on the wire. */
export type WirePayment = z.infer<typeof WirePayment>;

/** A customer payment from Odoo: the canonical {@link Payment} plus its direction and number. */
export const OdooPayment = Payment.extend({
  /** `inbound` (the patient paid) or `outbound` (money returned to the patient). */
  direction: z.enum(['inbound', 'outbound']),
  /** Odoo's payment number, e.g. `PBNK1/2025/00042`. */
  number: z.string().optional(),
  /** Odoo's own `state` (16–17: draft/posted/cancel; 18+: draft/in_process/paid/canceled/rejected). */
  odooState: z.string(),
  /** All invoices the payment is reconciled with (`invoiceId` is the first). */
  invoiceIds: z.array(z.string()).default([]),
});
/** A customer payment from Odoo. */
export type OdooPayment = z.infer<typeof OdooPayment>;

function status(state: string): Payment['status'] {
  switch (state) {
    case 'posted':
    case 'paid':
      return 'succeeded';
    case 'in_process':
      return 'processing';
    case 'cancel':
    case 'canceled':
      return 'canceled';
    case 'rejected':
      return 'failed';
    default:
      return 'pending';
  }
}

/** Maps an `account.payment`. */
export function toOdooPayment(wire: WirePayment, codes?: ReadonlyMap<number, string>): OdooPayment {
  const currency = currencyCode(wire.currency_id, codes);
  const partnerId = m2oId(wire.partner_id);
  const invoiceIds = wire.reconciled_invoice_ids.map(String);
  const number = text(wire.name);
  const method = m2oName(wire.payment_method_line_id);
  return {
    id: String(wire.id),
    source: { system: 'odoo', id: String(wire.id) },
    ...(partnerId !== undefined && { contactId: String(partnerId) }),
    ...(invoiceIds[0] !== undefined && { invoiceId: invoiceIds[0] }),
    invoiceIds,
    status: status(wire.state),
    odooState: wire.state,
    direction: wire.payment_type,
    amountMinor: odooAmountToMinor(wire.amount, currency),
    currency,
    ...(method !== undefined && { method }),
    ...(number !== undefined && number !== '/' && { number }),
    ...(text(wire.date) !== undefined && { createdAt: odooDateToIso(text(wire.date)!) }),
    updatedAt: odooDatetimeToIso(wire.write_date),
  };
}
