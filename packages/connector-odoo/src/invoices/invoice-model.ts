import { ValidationError } from '@hmi/core';
import { Invoice, InvoiceLine } from '@hmi/core/schemas';
import { z } from 'zod';
import { odooDatetimeToIso, odooDateToIso } from '../shared/dates.js';
import { odooAmountToMinor } from '../shared/money.js';
import { Many2one, m2oId, m2oName, OptionalAmount, OptionalText, RecordId, text, WriteDate } from '../shared/wire.js';

/** The `account.move` fields the invoices stream reads. */
export const INVOICE_FIELDS = [
  'name',
  'move_type',
  'state',
  'payment_state',
  'partner_id',
  'currency_id',
  'amount_untaxed',
  'amount_tax',
  'amount_total',
  'amount_residual',
  'invoice_date',
  'invoice_date_due',
  'ref',
  'invoice_line_ids',
] as const;

/** An `account.move` as `search_read` returns it. */
export const WireMove = z.object({
  id: RecordId,
  write_date: WriteDate,
  name: OptionalText,
  move_type: z.string().default('out_invoice'),
  state: z.string(),
  payment_state: OptionalText,
  partner_id: Many2one.optional(),
  currency_id: Many2one,
  amount_untaxed: OptionalAmount,
  amount_tax: OptionalAmount,
  amount_total: z.number(),
  amount_residual: OptionalAmount,
  invoice_date: OptionalText,
  invoice_date_due: OptionalText,
  ref: OptionalText,
  invoice_line_ids: z.union([z.array(RecordId), z.literal(false)]).optional(),
});
/** An `account.move` on the wire. */
export type WireMove = z.infer<typeof WireMove>;

/** The `account.move.line` fields read for invoice lines. */
export const LINE_FIELDS = [
  'move_id',
  'name',
  'quantity',
  'price_unit',
  'price_subtotal',
  'price_total',
  'tax_ids',
  'display_type',
] as const;

/** An `account.move.line` as `search_read` returns it. */
export const WireMoveLine = z.object({
  id: RecordId,
  move_id: Many2one.optional(),
  name: OptionalText,
  quantity: z.number().default(1),
  price_unit: z.number(),
  price_subtotal: OptionalAmount,
  price_total: OptionalAmount,
  tax_ids: z.union([z.array(RecordId), z.literal(false)]).optional(),
  display_type: OptionalText,
});
/** An `account.move.line` on the wire. */
export type WireMoveLine = z.infer<typeof WireMoveLine>;

/** An invoice line with its tax: the canonical line plus Odoo's tax ids and amounts. */
export const OdooInvoiceLine = InvoiceLine.extend({
  /** Untaxed line amount (`price_subtotal`), minor units. */
  subtotalMinor: z.number().int(),
  /** Tax on the line (`price_total − price_subtotal`), minor units. */
  taxMinor: z.number().int(),
  /** The `account.tax` ids applied (e.g. VAT 15%). */
  taxIds: z.array(z.number().int()).default([]),
});
/** An invoice line with its tax. */
export type OdooInvoiceLine = z.infer<typeof OdooInvoiceLine>;

/**
 * A customer invoice or credit note from Odoo: the canonical {@link Invoice} plus what an ERP
 * adds — kind, Odoo's own payment state, untaxed and tax totals, taxed lines.
 */
export const OdooInvoice = Invoice.extend({
  lines: z.array(OdooInvoiceLine).default([]),
  /** `invoice` (out_invoice) or `refund` (out_refund, a credit note). */
  kind: z.enum(['invoice', 'refund']),
  /** Odoo's `payment_state`: `not_paid`, `in_payment`, `paid`, `partial`, `reversed`, … */
  paymentState: z.string().optional(),
  /** Odoo's `state`: `draft`, `posted`, `cancel`. */
  odooState: z.string(),
  subtotalMinor: z.number().int(),
  taxMinor: z.number().int(),
  /** The `ref` the invoice was created with (the hmi idempotency reference), when set. */
  reference: z.string().optional(),
  /** The customer's display name (read in the configured language). PHI when the customer is a patient. */
  partnerName: z.string().optional(),
});
/** A customer invoice or credit note from Odoo. */
export type OdooInvoice = z.infer<typeof OdooInvoice>;

function status(move: WireMove): Invoice['status'] {
  if (move.state === 'draft') return 'draft';
  if (move.state === 'cancel') return 'void';
  switch (move.payment_state) {
    case 'paid':
    case 'in_payment':
    case 'invoicing_legacy':
      return 'paid';
    case 'partial':
      return 'partially_paid';
    case 'reversed':
      return 'void';
    default:
      return 'open';
  }
}

/** The ISO code of a `currency_id` (Odoo's currency display name is its ISO 4217 code). */
export function currencyCode(value: WireMove['currency_id'], codes?: ReadonlyMap<number, string>): string {
  const name = m2oName(value);
  const id = m2oId(value);
  const code = name && /^[A-Z]{3}$/.test(name) ? name : id !== undefined ? codes?.get(id) : undefined;
  if (!code || !/^[A-Z]{3}$/.test(code)) {
    throw new ValidationError('Odoo record has no ISO 4217 currency', {
      code: 'invalid_response',
      issues: [{ path: ['currency_id'], code: 'invalid_value', message: 'expected [id, ISO code]' }],
    });
  }
  return code;
}

/** Maps an `account.move` and its lines (only product lines: sections and notes are layout). */
export function toOdooInvoice(move: WireMove, lines: readonly WireMoveLine[], codes?: ReadonlyMap<number, string>): OdooInvoice {
  const currency = currencyCode(move.currency_id, codes);
  const minor = (value: number) => odooAmountToMinor(value, currency);
  const total = minor(move.amount_total);
  // Fields a server left out are derived, never guessed: tax 0 and untaxed = total when absent.
  const tax = typeof move.amount_tax === 'number' ? minor(move.amount_tax) : 0;
  const untaxed = typeof move.amount_untaxed === 'number' ? minor(move.amount_untaxed) : total - tax;
  const residual =
    typeof move.amount_residual === 'number' ? minor(move.amount_residual) : move.payment_state === 'paid' ? 0 : total;
  const partnerId = m2oId(move.partner_id);
  const number = text(move.name);
  return {
    id: String(move.id),
    source: { system: 'odoo', id: String(move.id) },
    ...(number !== undefined && number !== '/' && { number }),
    ...(partnerId !== undefined && { contactId: String(partnerId) }),
    ...(m2oName(move.partner_id) !== undefined && { partnerName: m2oName(move.partner_id) }),
    status: status(move),
    kind: move.move_type === 'out_refund' ? 'refund' : 'invoice',
    odooState: move.state,
    ...(text(move.payment_state) !== undefined && { paymentState: text(move.payment_state) }),
    currency,
    totalMinor: total,
    subtotalMinor: untaxed,
    taxMinor: tax,
    amountDueMinor: residual,
    amountPaidMinor: move.state === 'posted' ? total - residual : 0,
    lines: lines
      .filter((line) => !line.display_type || line.display_type === 'product')
      .map((line) => {
        const subtotal =
          typeof line.price_subtotal === 'number'
            ? minor(line.price_subtotal)
            : Math.round(line.quantity * minor(line.price_unit));
        const lineTotal = typeof line.price_total === 'number' ? minor(line.price_total) : subtotal;
        const description = text(line.name);
        return {
          ...(description !== undefined && { description }),
          quantity: line.quantity,
          unitAmountMinor: minor(line.price_unit),
          totalMinor: lineTotal,
          subtotalMinor: subtotal,
          taxMinor: lineTotal - subtotal,
          taxIds: line.tax_ids || [],
        };
      }),
    ...(text(move.ref) !== undefined && { reference: text(move.ref) }),
    ...(text(move.invoice_date) !== undefined && { issuedAt: odooDateToIso(text(move.invoice_date)!) }),
    ...(text(move.invoice_date_due) !== undefined && { dueAt: odooDateToIso(text(move.invoice_date_due)!) }),
    updatedAt: odooDatetimeToIso(move.write_date),
  };
}
