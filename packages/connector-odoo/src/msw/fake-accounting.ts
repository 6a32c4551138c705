// The accounting behaviour of the fake, from Odoo's Invoicing documentation: invoices are created
// as drafts with computed totals, `action_post` validates them, and the "Register Payment" wizard
// books a payment and reconciles it with the invoice, updating its payment state.
import { fromMinorUnits, toMinorUnits } from '@hmi/core';
import { type FakeRecord, OdooFault } from './domain.js';
import type { FakeOrm } from './fake-orm.js';

const amount = (minor: number, code: string) => Number(fromMinorUnits(minor, code));

function minorOf(value: unknown, code: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new OdooFault('odoo.exceptions.ValidationError', `${field} must be a number`);
  try {
    return toMinorUnits(String(value), code);
  } catch {
    throw new OdooFault('odoo.exceptions.ValidationError', `${field} has more decimals than ${code} allows`);
  }
}

/** `account.move` create: a draft with lines from `[0, 0, vals]` commands and computed totals. */
export function createMove(orm: FakeOrm, vals: Record<string, unknown>): FakeRecord {
  if (vals.move_type !== 'out_invoice' && vals.move_type !== 'out_refund') {
    throw new OdooFault('odoo.exceptions.UserError', 'The fake only creates customer invoices and credit notes');
  }
  const partner = orm.m2o('res.partner', vals.partner_id);
  const currency = orm.m2o('res.currency', vals.currency_id);
  if (!partner || !currency) throw new OdooFault('odoo.exceptions.ValidationError', 'partner_id and currency_id are required');
  const code = String(currency[1]);
  const move = orm.insert('account.move', {
    name: '/',
    move_type: vals.move_type,
    state: 'draft',
    payment_state: 'not_paid',
    partner_id: partner,
    currency_id: currency,
    ref: vals.ref ?? false,
    invoice_date: vals.invoice_date ?? false,
    invoice_date_due: vals.invoice_date_due ?? false,
    invoice_line_ids: [],
  });
  let untaxed = 0;
  let tax = 0;
  const commands = Array.isArray(vals.invoice_line_ids) ? vals.invoice_line_ids : [];
  for (const command of commands) {
    if (!Array.isArray(command) || command[0] !== 0 || typeof command[2] !== 'object') {
      throw new OdooFault('builtins.ValueError', 'Only Command.create ([0, 0, values]) is supported for invoice lines');
    }
    const line = command[2] as Record<string, unknown>;
    const quantity = typeof line.quantity === 'number' ? line.quantity : 1;
    const unit = minorOf(line.price_unit, code, 'price_unit');
    const subtotal = Math.round(quantity * unit);
    const taxIds: number[] = [];
    for (const c of Array.isArray(line.tax_ids) ? line.tax_ids : []) {
      if (Array.isArray(c) && c[0] === 6 && Array.isArray(c[2])) taxIds.push(...(c[2] as number[]));
    }
    let lineTax = 0;
    for (const id of taxIds) {
      const rate = orm.table('account.tax').get(id)?.amount;
      if (typeof rate !== 'number')
        throw new OdooFault('odoo.exceptions.MissingError', `Record account.tax(${id}) does not exist`);
      lineTax += Math.round((subtotal * rate) / 100);
    }
    untaxed += subtotal;
    tax += lineTax;
    const created = orm.insert('account.move.line', {
      move_id: [move.id, move.name],
      name: line.name ?? false,
      quantity,
      price_unit: amount(unit, code),
      price_subtotal: amount(subtotal, code),
      price_total: amount(subtotal + lineTax, code),
      tax_ids: taxIds,
      display_type: 'product',
      product_id: line.product_id ?? false,
      account_id: line.account_id ?? false,
    });
    (move.invoice_line_ids as number[]).push(created.id);
  }
  Object.assign(move, {
    amount_untaxed: amount(untaxed, code),
    amount_tax: amount(tax, code),
    amount_total: amount(untaxed + tax, code),
    amount_residual: amount(untaxed + tax, code),
  });
  return move;
}

/** `account.move.action_post`: draft → posted, with a sequence number. */
export function postMoves(orm: FakeOrm, ids: readonly number[]): boolean {
  for (const id of ids) {
    const move = orm.table('account.move').get(id);
    if (!move) throw new OdooFault('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
    if (move.state !== 'draft') throw new OdooFault('odoo.exceptions.UserError', 'Only draft journal entries can be posted.');
    const seq = String(id).padStart(5, '0');
    const year = orm.now().getUTCFullYear();
    orm.update('account.move', id, {
      state: 'posted',
      name: `${move.move_type === 'out_refund' ? 'RINV' : 'INV'}/${year}/${seq}`,
      invoice_date: move.invoice_date || orm.stamp().slice(0, 10),
    });
  }
  return true;
}

/** `account.payment.register.action_create_payments`: books and reconciles the payment. */
export function createPayments(orm: FakeOrm, wizardId: number): Record<string, unknown> {
  const wizard = orm.table('account.payment.register').get(wizardId);
  if (!wizard) throw new OdooFault('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
  const invoiceId = (wizard.active_ids as number[] | undefined)?.[0];
  const invoice = invoiceId === undefined ? undefined : orm.table('account.move').get(invoiceId);
  if (wizard.active_model !== 'account.move' || !invoice) {
    throw new OdooFault(
      'odoo.exceptions.UserError',
      'The register payment wizard should only be called on account.move records.',
    );
  }
  if (invoice.state !== 'posted')
    throw new OdooFault('odoo.exceptions.UserError', 'You can only register payment for posted journal entries.');
  const code = String((invoice.currency_id as [number, string])[1]);
  const residual = minorOf(invoice.amount_residual, code, 'amount_residual');
  if (residual <= 0)
    throw new OdooFault(
      'odoo.exceptions.UserError',
      "You can't register a payment because there is nothing left to pay on the selected journal items.",
    );
  const paid = wizard.amount === undefined || wizard.amount === false ? residual : minorOf(wizard.amount, code, 'amount');
  const payment = orm.insert('account.payment', {
    name: `PBNK1/${orm.now().getUTCFullYear()}/${String(orm.table('account.payment').size + 1).padStart(5, '0')}`,
    payment_type: 'inbound',
    partner_type: 'customer',
    partner_id: invoice.partner_id,
    amount: amount(paid, code),
    currency_id: invoice.currency_id,
    state: 'paid',
    date: wizard.payment_date || orm.stamp().slice(0, 10),
    memo: wizard.communication ?? false,
    payment_reference: false,
    reconciled_invoice_ids: [invoice.id],
    payment_method_line_id: [1, 'Manual Payment'],
    journal_id: wizard.journal_id ?? false,
  });
  const left = Math.max(0, residual - paid);
  orm.update('account.move', invoice.id, { amount_residual: amount(left, code), payment_state: left === 0 ? 'paid' : 'partial' });
  return { type: 'ir.actions.act_window', res_model: 'account.payment', res_id: payment.id, view_mode: 'form' };
}
