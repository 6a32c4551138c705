import { action, isHmiError, ValidationError } from '@hmi/core';
import { Payment } from '@hmi/core/schemas';
import { z } from 'zod';
import { OdooInvoice } from '../invoices/invoice-model.js';
import { findInvoices } from '../invoices/invoice-read.js';
import { forCall, type OdooContext } from '../odoo-context.js';
import { CreatedIds, findByExternalId, linkExternalId } from '../shared/external-id.js';
import { paymentExternalName } from '../shared/lookups.js';
import { minorToOdooAmount } from '../shared/money.js';
import { RecordId } from '../shared/wire.js';

/** Input of `registerPayment`. */
export const RegisterPaymentInput = z.object({
  /** The posted Odoo invoice the payment settles. */
  invoiceId: z.union([
    RecordId,
    z
      .string()
      .regex(/^[1-9]\d{0,15}$/)
      .transform(Number),
  ]),
  /**
   * The gateway's payment as the Stripe, Moyasar or Tap connector returns it (canonical
   * `Payment`). Its `source` (or `id`) is the idempotency key; it must have succeeded.
   */
  payment: Payment,
  /** The bank journal to book it in; Odoo's default for the invoice when absent. */
  journalId: RecordId.optional(),
});

/** What `registerPayment` returns. */
export const RegisterPaymentResult = z.object({
  /** The `account.payment` id. */
  paymentId: z.string(),
  /** False when the payment had already been registered (by an earlier call). */
  created: z.boolean(),
  /** The invoice after registration (payment state updated). */
  invoice: OdooInvoice,
});

const WizardAction = z.union([z.object({ res_id: z.number().int().optional() }).loose(), z.boolean(), z.null()]);

/**
 * The payment an earlier call registered, found by the memo the wizard wrote (`memo` on Odoo 18+,
 * `ref` before: `fields_get` tells which). Used when external ids are unavailable and to reconcile
 * a wizard run whose response was lost.
 */
async function findByMemo(
  ctx: OdooContext,
  memo: string,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<number | undefined> {
  const fields = await ctx.rpc.call('account.payment', 'fields_get', {
    params: { attributes: ['type'] },
    schema: z.record(z.string(), z.unknown()),
    operation,
    signal,
  });
  const field = 'memo' in fields ? 'memo' : 'ref' in fields ? 'ref' : undefined;
  if (!field) return undefined;
  const rows = await ctx.rpc.call('account.payment', 'search_read', {
    params: { domain: [[field, '=', memo]], fields: ['id'], order: 'id asc', limit: 1 },
    schema: z.array(z.object({ id: RecordId })),
    operation,
    signal,
  });
  return rows[0]?.id;
}

function invalid(message: string, path: string[], code: string, operation: string): ValidationError {
  return new ValidationError(message, { connector: 'odoo', operation, issues: [{ path, code, message }] });
}

/**
 * Registers a gateway payment against a posted invoice through Odoo's own "Register Payment"
 * wizard (`account.payment.register` created with `active_model`/`active_ids`, then
 * `action_create_payments`), which books the payment and reconciles it with the invoice.
 *
 * Idempotent by the gateway payment's id: the wizard's memo is `hmi:<system>:<id>` and the created
 * payment is recorded as the external id `<module>.payment_<system>_<id>`; a call that finds either
 * returns the registered payment. The wizard is never repeated blindly: when its outcome is unknown
 * the action reads back by memo, and rethrows the `outcomeUnknown` error if nothing landed.
 */
export const registerPayment = action({
  description: 'Register a Stripe/Moyasar/Tap payment on a posted Odoo invoice, idempotent by payment id',
  idempotent: true,
  input: RegisterPaymentInput,
  output: RegisterPaymentResult,
  async run(input, scope: OdooContext, call) {
    const ctx = forCall(scope, call.idempotencyKey);
    const op = call.operation;
    const { payment } = input;
    const ref = { system: payment.source?.system ?? 'payment', id: payment.source?.id ?? payment.id };
    const xmlName = paymentExternalName(ref);
    const readInvoice = async () => {
      const [found] = await findInvoices(ctx, [['id', '=', input.invoiceId]], op, call.signal, 1);
      if (!found) throw invalid('Odoo has no customer invoice with this id', ['invoiceId'], 'not_found', op);
      return found;
    };

    const memo = `${ctx.config.externalIdModule}:${ref.system}:${ref.id}`;
    const existing =
      (await findByExternalId(ctx, 'account.payment', xmlName, op, call.signal)) ??
      (await findByMemo(ctx, memo, op, call.signal));
    if (existing !== undefined) return { paymentId: String(existing), created: false, invoice: await readInvoice() };

    if (payment.status !== 'succeeded')
      throw invalid('only a succeeded payment can be registered', ['payment', 'status'], 'invalid_state', op);
    const invoice = await readInvoice();
    if (invoice.odooState !== 'posted') throw invalid('the invoice must be posted first', ['invoiceId'], 'invalid_state', op);
    if (invoice.currency !== payment.currency)
      throw invalid('payment and invoice currencies differ', ['payment', 'currency'], 'currency_mismatch', op);

    const context = { active_model: 'account.move', active_ids: [input.invoiceId] };
    const wizard = await ctx.rpc.call('account.payment.register', 'create', {
      params: {
        vals_list: [
          {
            amount: minorToOdooAmount(payment.amountMinor, payment.currency),
            communication: memo,
            ...(payment.createdAt && { payment_date: payment.createdAt.slice(0, 10) }),
            ...(input.journalId !== undefined && { journal_id: input.journalId }),
          },
        ],
      },
      context,
      schema: CreatedIds,
      operation: op,
      signal: call.signal,
      // A wizard is a transient record: creating a second one books nothing.
      write: false,
    });
    let result: z.infer<typeof WizardAction>;
    try {
      result = await ctx.rpc.call('account.payment.register', 'action_create_payments', {
        ids: [wizard[0]!],
        context,
        schema: WizardAction,
        operation: op,
        signal: call.signal,
        write: true,
      });
    } catch (error) {
      // Never repeated blindly: read back by memo; if nothing is there, the error stays `outcomeUnknown`.
      if (!isHmiError(error) || !error.outcomeUnknown) throw error;
      const landed = await findByMemo(ctx, memo, op, call.signal);
      if (landed === undefined) throw error;
      result = { res_id: landed };
    }
    let paymentId = result && typeof result === 'object' && typeof result.res_id === 'number' ? result.res_id : undefined;
    if (paymentId === undefined) {
      // Odoo answers `true` instead of an action when told not to redirect: the newest payment
      // reconciled with this invoice is the one just made (the wizard ran in one transaction).
      const rows = await ctx.rpc.call('account.payment', 'search_read', {
        params: { domain: [['reconciled_invoice_ids', 'in', [input.invoiceId]]], fields: ['id'], order: 'id desc', limit: 1 },
        schema: z.array(z.object({ id: RecordId })),
        operation: op,
        signal: call.signal,
      });
      paymentId = rows[0]?.id;
      if (paymentId === undefined)
        throw invalid('Odoo did not report the payment it created', ['invoiceId'], 'missing_payment', op);
    }
    await linkExternalId(ctx, 'account.payment', xmlName, paymentId, op, call.signal);
    return { paymentId: String(paymentId), created: true, invoice: await readInvoice() };
  },
});
