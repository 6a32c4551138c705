import { ApiError, action, isHmiError, phi, ValidationError } from '@hmi/core';
import { CurrencyCode } from '@hmi/core/schemas';
import { z } from 'zod';
import { forCall, type OdooContext } from '../odoo-context.js';
import { CreatedIds } from '../shared/external-id.js';
import { currencyId, PartnerRef, resolvePartner } from '../shared/lookups.js';
import { minorToOdooAmount } from '../shared/money.js';
import { RecordId } from '../shared/wire.js';
import { OdooInvoice } from './invoice-model.js';
import { findInvoices } from './invoice-read.js';

/** One line of a new invoice. Amounts in minor units of the invoice's currency. */
export const NewInvoiceLine = z.object({
  /** The line's label (a service name, possibly Arabic). */
  description: phi(z.string().min(1).max(2_000)),
  quantity: z.number().positive().max(1_000_000).default(1),
  /** Unit price, minor units (halalas, fils). */
  unitAmountMinor: z.number().int().min(0),
  /** `account.tax` ids to apply (VAT 15%, …); none → untaxed line. */
  taxIds: z.array(RecordId).max(20).optional(),
  /** `product.product` id, when the service is a product in Odoo. */
  productId: RecordId.optional(),
  /** Income `account.account` id; Odoo's default when absent. */
  accountId: RecordId.optional(),
});

/** Input of `createInvoice`. */
export const CreateInvoiceInput = z.object({
  /** The customer: an Odoo partner id, or the external id given to `upsertPartner`. */
  partner: PartnerRef,
  lines: z.array(NewInvoiceLine).min(1).max(500),
  /** ISO 4217, e.g. `SAR`, `KWD`. */
  currency: CurrencyCode,
  /**
   * Your unique reference for this invoice (a visit or order number). Stored as the move's `ref`:
   * a second call with the same `ref` returns the first invoice instead of creating another.
   */
  ref: z.string().trim().min(1).max(200),
  /** `YYYY-MM-DD`. */
  invoiceDate: z.iso.date().optional(),
  /** `YYYY-MM-DD`. */
  dueDate: z.iso.date().optional(),
});

/** What `createInvoice` returns: the invoice and whether this call created it. */
export const CreateInvoiceResult = z.object({ invoice: OdooInvoice, created: z.boolean() });

/** Input of `getInvoice` and `postInvoice`. */
export const InvoiceIdInput = z.object({
  id: z.union([
    RecordId,
    z
      .string()
      .regex(/^[1-9]\d{0,15}$/)
      .transform(Number),
  ]),
});

async function byRef(ctx: OdooContext, ref: string, operation: string, signal: AbortSignal | undefined) {
  const found = await findInvoices(
    ctx,
    [
      ['move_type', '=', 'out_invoice'],
      ['ref', '=', ref],
    ],
    operation,
    signal,
    1,
  );
  return found[0];
}

async function byId(ctx: OdooContext, id: number, operation: string, signal: AbortSignal | undefined): Promise<OdooInvoice> {
  const found = await findInvoices(ctx, [['id', '=', id]], operation, signal, 1);
  if (!found[0])
    throw new ApiError('Odoo has no customer invoice with this id', {
      connector: 'odoo',
      operation,
      code: 'not_found',
      retryable: false,
    });
  return found[0];
}

/**
 * Creates a draft customer invoice (`account.move`, `out_invoice`), idempotent by `ref`: it first
 * looks for an invoice with that `ref` and returns it. Odoo has no idempotency keys, so the create
 * itself is never repeated blindly: when its outcome is unknown (a timeout, a 502), the action
 * reads back by `ref` and returns what it finds, or rethrows the `outcomeUnknown` error — calling
 * the action again later is safe, it reconciles first.
 */
export const createInvoice = action({
  description: 'Create a draft customer invoice in Odoo, idempotent by ref',
  idempotent: true,
  input: CreateInvoiceInput,
  output: CreateInvoiceResult,
  async run(input, scope: OdooContext, call) {
    const ctx = forCall(scope, call.idempotencyKey);
    const op = call.operation;
    const existing = await byRef(ctx, input.ref, op, call.signal);
    if (existing) return { invoice: existing, created: false };
    const partnerId = await resolvePartner(ctx, input.partner, op, call.signal);
    const currency = await currencyId(ctx, input.currency, op, call.signal);
    const vals = {
      move_type: 'out_invoice',
      partner_id: partnerId,
      currency_id: currency,
      ref: input.ref,
      ...(input.invoiceDate && { invoice_date: input.invoiceDate }),
      ...(input.dueDate && { invoice_date_due: input.dueDate }),
      // Command.create(values) is [0, 0, values] on every Odoo version since 8.
      invoice_line_ids: input.lines.map((line) => [
        0,
        0,
        {
          name: line.description,
          quantity: line.quantity,
          price_unit: minorToOdooAmount(line.unitAmountMinor, input.currency),
          ...(line.taxIds && { tax_ids: [[6, 0, line.taxIds]] }),
          ...(line.productId && { product_id: line.productId }),
          ...(line.accountId && { account_id: line.accountId }),
        },
      ]),
    };
    let id: number;
    try {
      const ids = await ctx.rpc.call('account.move', 'create', {
        params: { vals_list: [vals] },
        schema: CreatedIds,
        operation: op,
        signal: call.signal,
        write: true,
      });
      id = ids[0]!;
    } catch (error) {
      if (!isHmiError(error) || !error.outcomeUnknown) throw error;
      const landed = await byRef(ctx, input.ref, op, call.signal);
      if (landed) return { invoice: landed, created: true };
      throw error;
    }
    return { invoice: await byId(ctx, id, op, call.signal), created: true };
  },
});

/** Reads one customer invoice or credit note with its lines. */
export const getInvoice = action({
  description: 'Read a customer invoice or credit note with its lines',
  idempotent: true,
  input: InvoiceIdInput,
  output: OdooInvoice,
  async run(input, scope: OdooContext, call) {
    const ctx = forCall(scope, call.idempotencyKey);
    return byId(ctx, input.id, call.operation, call.signal);
  },
});

/**
 * Posts (validates) a draft invoice (`action_post`), so payments can be registered on it. A posted
 * invoice is returned as it is: repeating the call changes nothing.
 */
export const postInvoice = action({
  description: 'Post (validate) a draft customer invoice',
  idempotent: true,
  input: InvoiceIdInput,
  output: OdooInvoice,
  async run(input, scope: OdooContext, call) {
    const ctx = forCall(scope, call.idempotencyKey);
    const op = call.operation;
    const invoice = await byId(ctx, input.id, op, call.signal);
    if (invoice.odooState === 'posted') return invoice;
    if (invoice.odooState !== 'draft') {
      throw new ValidationError('only a draft invoice can be posted', {
        connector: 'odoo',
        operation: op,
        issues: [{ path: ['id'], code: 'invalid_state', message: `the invoice is ${invoice.odooState}` }],
      });
    }
    try {
      await ctx.rpc.call('account.move', 'action_post', {
        ids: [input.id],
        schema: z.unknown(),
        operation: op,
        signal: call.signal,
        write: true,
      });
    } catch (error) {
      // Posting twice is refused by Odoo, never doubled: read back and report what is there.
      if (!isHmiError(error) || !error.outcomeUnknown) throw error;
      const after = await byId(ctx, input.id, op, call.signal);
      if (after.odooState === 'posted') return after;
      throw error;
    }
    return byId(ctx, input.id, op, call.signal);
  },
});
