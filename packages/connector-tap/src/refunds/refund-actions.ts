import { randomUUID } from 'node:crypto';
import { action } from '@hmi/core';
import { z } from 'zod';
import { toTapAmount } from '../shared/amounts.js';
import { CrmId, tapIdempotentFor } from '../shared/helpers.js';
import type { TapContext } from '../tap-context.js';
import { TapRefund, toTapRefund, WireRefund } from '../tap-model.js';

/** Input of `createRefund`. */
export const CreateRefundInput = z.object({
  chargeId: z.string().regex(/^chg_[A-Za-z0-9]+$/, 'expected a Tap charge id (chg_…)'),
  /** Minor units of the charge's currency: 125 refunds 0.125 KWD. */
  amountMinor: z.number().int().positive().max(1_000_000_000_000),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .transform((c) => c.toUpperCase()),
  reason: z.enum(['requested_by_customer', 'duplicate', 'fraudulent']).default('requested_by_customer'),
  /** The CRM's reference for the refund (`reference.merchant`). */
  refundRef: CrmId.optional(),
  /** Your webhook URL for the refund. */
  postUrl: z.string().url().optional(),
});

/**
 * Refunds a captured charge, fully or partly (`POST /v2/refunds`). Idempotent like charges: the
 * call's key goes in `reference.idempotent` and rides every retry.
 */
export const createRefund = action({
  description: 'Refund a Tap charge, idempotent by reference.idempotent',
  idempotent: false,
  input: CreateRefundInput,
  output: TapRefund,
  async run(input, ctx: TapContext, call) {
    const idempotencyKey = call.idempotencyKey ?? randomUUID();
    const wire = await ctx.http.request({
      method: 'POST',
      path: '/v2/refunds',
      json: {
        charge_id: input.chargeId,
        amount: toTapAmount(input.amountMinor, input.currency),
        currency: input.currency,
        reason: input.reason,
        reference: { ...(input.refundRef && { merchant: input.refundRef }), idempotent: tapIdempotentFor(idempotencyKey) },
        ...(input.postUrl && { post: { url: input.postUrl } }),
      },
      idempotencyKey,
      schema: WireRefund,
      operation: call.operation,
      signal: call.signal,
    });
    return toTapRefund(wire);
  },
});

/** Input of `retrieveRefund`. */
export const RetrieveRefundInput = z.object({ id: z.string().regex(/^re_[A-Za-z0-9]+$/, 'expected a Tap refund id (re_…)') });

/** Reads a refund (`GET /v2/refunds/{id}`). */
export const retrieveRefund = action({
  description: 'Read a Tap refund',
  idempotent: true,
  input: RetrieveRefundInput,
  output: TapRefund,
  async run(input, ctx: TapContext, call) {
    const wire = await ctx.http.request({
      path: `/v2/refunds/${encodeURIComponent(input.id)}`,
      schema: WireRefund,
      operation: call.operation,
      signal: call.signal,
    });
    return toTapRefund(wire);
  },
});
