import { action, type HmiError, isHmiError } from '@hmi/core';
import { z } from 'zod';
import type { MoyasarContext } from '../moyasar-context.js';
import {
  CONTACT_ID_METADATA_KEY,
  MoyasarPayment,
  MoyasarPaymentStatus,
  toMoyasarPayment,
  WirePayment,
  WirePaymentPage,
} from '../moyasar-model.js';
import { CrmId } from '../shared/helpers.js';

const PaymentId = z.string().uuid('expected a Moyasar payment id (a UUID)');

/** Input of `fetchPayment`, `voidPayment`. */
export const PaymentIdInput = z.object({ id: PaymentId });

/** Reads one payment; the connector's source of truth after a callback or webhook. */
export function getPayment(
  ctx: MoyasarContext,
  id: string,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<WirePayment> {
  return ctx.http.request({ path: `/v1/payments/${encodeURIComponent(id)}`, schema: WirePayment, operation, signal });
}

/** Reads a payment (`GET /v1/payments/{id}`): verify a payment's status and amount before fulfilling. */
export const fetchPayment = action({
  description: 'Read a Moyasar payment',
  idempotent: true,
  input: PaymentIdInput,
  output: MoyasarPayment,
  async run(input, ctx: MoyasarContext, call) {
    return toMoyasarPayment(await getPayment(ctx, input.id, call.operation, call.signal));
  },
});

/** Input of `listPayments`: Moyasar's documented filters. */
export const ListPaymentsInput = z.object({
  /** 1-based page; Moyasar returns 40 payments per page, newest first. */
  page: z.number().int().min(1).max(100_000).default(1),
  status: MoyasarPaymentStatus.optional(),
  createdAfter: z.iso.datetime({ offset: true }).optional(),
  createdBefore: z.iso.datetime({ offset: true }).optional(),
  /** Payments of one CRM contact (metadata `hmi_contact_id`). */
  contactId: CrmId.optional(),
});

/** A page of payments. */
export const PaymentList = z.object({ payments: z.array(MoyasarPayment), nextPage: z.number().int().optional() });

/** Lists payments with Moyasar's filters (`GET /v1/payments`). For incremental sync use the `payments` stream. */
export const listPayments = action({
  description: 'List Moyasar payments by status, creation time or CRM contact',
  idempotent: true,
  input: ListPaymentsInput,
  output: PaymentList,
  async run(input, ctx: MoyasarContext, call) {
    const page = await ctx.http.request({
      path: '/v1/payments',
      query: {
        page: input.page,
        status: input.status,
        'created[gt]': input.createdAfter,
        'created[lt]': input.createdBefore,
        [`metadata[${CONTACT_ID_METADATA_KEY}]`]: input.contactId,
      },
      schema: WirePaymentPage,
      operation: call.operation,
      signal: call.signal,
    });
    return {
      payments: page.payments.map(toMoyasarPayment),
      ...(page.meta.next_page ? { nextPage: page.meta.next_page } : {}),
    };
  },
});

/**
 * Runs a write Moyasar takes no idempotency key for (refund, capture, void). The core never
 * repeats it blindly; when its outcome is unknown (a 5xx or timeout after it was sent) the
 * connector reads the payment back: if the write took effect the call succeeds with the payment,
 * otherwise the original error (`outcomeUnknown`) is thrown for a human or a later reconcile.
 */
async function keylessWrite(
  ctx: MoyasarContext,
  call: { operation: string; signal: AbortSignal | undefined },
  id: string,
  verb: 'refund' | 'capture' | 'void',
  json: Record<string, unknown> | undefined,
  tookEffect: (after: WirePayment) => boolean,
): Promise<WirePayment> {
  try {
    return await ctx.http.request({
      method: 'POST',
      path: `/v1/payments/${encodeURIComponent(id)}/${verb}`,
      ...(json && { json }),
      schema: WirePayment,
      operation: call.operation,
      signal: call.signal,
    });
  } catch (error) {
    if (!isHmiError(error) || !(error as HmiError).outcomeUnknown) throw error;
    const after = await getPayment(ctx, id, `${call.operation}.reconcile`, call.signal).catch(() => undefined);
    if (after && tookEffect(after)) return after;
    throw error;
  }
}

/** Input of `refundPayment`. */
export const RefundPaymentInput = z.object({
  id: PaymentId,
  /** Minor units; omit for a full refund. */
  amountMinor: z.number().int().positive().optional(),
});

/**
 * Refunds a paid or captured payment, fully or partly (`POST /v1/payments/{id}/refund`). Moyasar
 * takes no idempotency key here: the refunded amount is read first, and an unknown outcome is
 * reconciled against it (never repeated).
 */
export const refundPayment = action({
  description: 'Refund a Moyasar payment (full or partial), reconciled when the outcome is unknown',
  idempotent: false,
  input: RefundPaymentInput,
  output: MoyasarPayment,
  async run(input, ctx: MoyasarContext, call) {
    const before = await getPayment(ctx, input.id, `${call.operation}.read`, call.signal);
    const already = before.refunded ?? 0;
    const wanted = input.amountMinor ?? (before.captured && before.captured > 0 ? before.captured : before.amount) - already;
    const after = await keylessWrite(
      ctx,
      call,
      input.id,
      'refund',
      input.amountMinor === undefined ? undefined : { amount: input.amountMinor },
      (p) => (p.refunded ?? 0) >= already + wanted,
    );
    return toMoyasarPayment(after);
  },
});

/** Input of `capturePayment`. */
export const CapturePaymentInput = z.object({
  id: PaymentId,
  /** Minor units; omit to capture the whole authorization. */
  amountMinor: z.number().int().positive().optional(),
});

/** Captures an authorized (manual) payment (`POST /v1/payments/{id}/capture`); reconciled when the outcome is unknown. */
export const capturePayment = action({
  description: 'Capture an authorized Moyasar payment',
  idempotent: false,
  input: CapturePaymentInput,
  output: MoyasarPayment,
  async run(input, ctx: MoyasarContext, call) {
    const after = await keylessWrite(
      ctx,
      call,
      input.id,
      'capture',
      input.amountMinor === undefined ? undefined : { amount: input.amountMinor },
      (p) => p.status === 'captured',
    );
    return toMoyasarPayment(after);
  },
});

/** Voids a payment before settlement (`POST /v1/payments/{id}/void`); reconciled when the outcome is unknown. */
export const voidPayment = action({
  description: 'Void a Moyasar payment before it settles',
  idempotent: false,
  input: PaymentIdInput,
  output: MoyasarPayment,
  async run(input, ctx: MoyasarContext, call) {
    return toMoyasarPayment(await keylessWrite(ctx, call, input.id, 'void', undefined, (p) => p.status === 'voided'));
  },
});
