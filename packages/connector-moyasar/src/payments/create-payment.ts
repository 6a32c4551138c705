import { randomUUID } from 'node:crypto';
import { action, ApiError, isHmiError, phi, secret } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import { z } from 'zod';
import type { MoyasarContext } from '../moyasar-context.js';
import { MoyasarPayment, toMoyasarPayment, WirePayment } from '../moyasar-model.js';
import { assertNoDiagnosis, CrmId, CrmMetadata, givenIdFor, metadataOf } from '../shared/helpers.js';

/**
 * STC Pay's form of a Saudi mobile (`05XXXXXXXX`) from however a patient typed it — `+966 55 512
 * 3456`, `0555123456`, Arabic-Indic digits `٠٥٥٥١٢٣٤٥٦` — or undefined when it is not one.
 */
export function stcPayMobile(raw: string): string | undefined {
  const e164 = tryNormalizePhone(raw, { defaultRegion: 'SA' });
  const match = e164 ? /^\+966(5\d{8})$/.exec(e164) : null;
  return match ? `0${match[1]}` : undefined;
}

/** A saved card (Moyasar token from the payment form or the tokenization API). */
export const TokenSource = z.object({
  type: z.literal('token'),
  token: z.string().regex(/^token_[A-Za-z0-9]{8,}$/, 'expected a Moyasar card token (token_…)'),
  /** The card's CVC when the payer re-enters it. Card data: a secret. */
  cvc: secret(z.string().regex(/^\d{3,4}$/)).optional(),
  /** 3-D Secure; keep it on for patient payments. Default true. */
  threeDs: z.boolean().default(true),
  /** Authorize only; capture later with `capturePayment`. Default false. */
  manual: z.boolean().default(false),
});

/** An Apple Pay payment token from Apple Pay JS or PassKit (the whole token, as a string). */
export const ApplePaySource = z.object({
  type: z.literal('applepay'),
  token: secret(z.string().min(16).max(20_000)),
  manual: z.boolean().default(false),
});

/** STC Pay: Moyasar sends the payer an OTP on this mobile; finish at the returned `transactionUrl`. */
export const StcPaySource = z.object({
  type: z.literal('stcpay'),
  /** The payer's Saudi mobile (+9665…, 05…). Patient data. */
  mobile: phi(
    z
      .string()
      .max(40)
      .refine((m) => stcPayMobile(m) !== undefined, 'expected a Saudi mobile number (+9665XXXXXXXX or 05XXXXXXXX)'),
  ),
  cashier: z.string().max(64).optional(),
  branch: z.string().max(64).optional(),
});

/** Input of `createPayment`. Raw card numbers are refused: they go from the browser to Moyasar, never through the host. */
export const CreatePaymentInput = z
  .object({
    /** In halalas (SAR minor units) or the currency's minor unit: 150.50 SAR is 15050. Moyasar's minimum is 100. */
    amountMinor: z.number().int().min(100).max(1_000_000_000),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/)
      .default('SAR')
      .transform((c) => c.toUpperCase()),
    /** Shown in Moyasar's dashboard, not to the payer. Checked for diagnoses. */
    description: z.string().min(1).max(255).optional(),
    /** Where Moyasar sends the payer back after 3-D Secure. Required for card tokens. */
    callbackUrl: z.string().url().optional(),
    source: z.discriminatedUnion('type', [TokenSource, ApplePaySource, StcPaySource]),
    /** The CRM contact the payment is from (metadata `hmi_contact_id`). */
    contactId: CrmId.optional(),
    /** The CRM or ERP invoice it pays (metadata `hmi_invoice_id`). */
    invoiceId: CrmId.optional(),
    /** More CRM ids. Never patient data. */
    metadata: CrmMetadata.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.source.type === 'token' && !input.callbackUrl) {
      ctx.addIssue({ code: 'custom', path: ['callbackUrl'], message: 'required for card tokens (3-D Secure returns there)' });
    }
  });
/** Input of `createPayment`. */
export type CreatePaymentInput = z.input<typeof CreatePaymentInput>;

function wireSource(source: z.output<typeof CreatePaymentInput>['source']): Record<string, unknown> {
  switch (source.type) {
    case 'token':
      return {
        type: 'token',
        token: source.token,
        ...(source.cvc && { cvc: source.cvc }),
        '3ds': source.threeDs,
        manual: source.manual,
      };
    case 'applepay':
      return { type: 'applepay', token: source.token, manual: source.manual };
    case 'stcpay':
      return {
        type: 'stcpay',
        mobile: stcPayMobile(source.mobile)!,
        ...(source.cashier && { cashier: source.cashier }),
        ...(source.branch && { branch: source.branch }),
      };
  }
}

/**
 * Creates a payment (`POST /v1/payments`) from a card token, an Apple Pay token or an STC Pay
 * mobile. Idempotent by `given_id`: the caller's idempotency key (or the one the instance
 * generates per call) becomes the `given_id` — itself when it is a UUID, else a UUID derived from
 * it — and the same key rides every retry, so the core retries 5xx and timeouts. When a retry
 * meets its own first attempt, Moyasar refuses the used `given_id`; the payment's id *is* the
 * `given_id`, so the connector reads it back and returns it: one key, one payment.
 *
 * A decline is not an error: Moyasar answers 201 with status `failed`, and the Payment comes back
 * `failed` with a stable `declineReason`. `initiated` means the payer must finish at `transactionUrl`.
 */
export const createPayment = action({
  description: 'Create a Moyasar payment (card token, Apple Pay, STC Pay) idempotently by given_id',
  idempotent: false,
  input: CreatePaymentInput,
  output: MoyasarPayment,
  async run(input, ctx: MoyasarContext, call) {
    assertNoDiagnosis(input.description, ctx.config.descriptionVocabulary);
    const idempotencyKey = call.idempotencyKey ?? randomUUID();
    const givenId = givenIdFor(idempotencyKey);
    const metadata = metadataOf(input);
    const json = {
      given_id: givenId,
      amount: input.amountMinor,
      currency: input.currency,
      ...(input.description && { description: input.description }),
      ...(input.callbackUrl && { callback_url: input.callbackUrl }),
      source: wireSource(input.source),
      ...(metadata && { metadata }),
    };
    try {
      const wire = await ctx.http.request({
        method: 'POST',
        path: '/v1/payments',
        json,
        // Moyasar dedupes on `given_id` in the body; the key also travels in the Idempotency-Key
        // header (Moyasar ignores it) so the core treats the create as a keyed, retryable write.
        idempotencyKey,
        schema: WirePayment,
        operation: call.operation,
        signal: call.signal,
      });
      return toMoyasarPayment(wire);
    } catch (error) {
      if (!isHmiError(error) || error.status !== 400) throw error;
      const existing = await readBack(ctx, givenId, call.signal).catch(() => undefined);
      if (!existing) throw error;
      if (existing.amount !== input.amountMinor || existing.currency.toUpperCase() !== input.currency) {
        throw new ApiError('Moyasar given_id already belongs to a different payment: use a new idempotency key', {
          code: 'idempotency_conflict',
          status: 400,
          retryable: false,
          connector: 'moyasar',
          operation: call.operation,
        });
      }
      return toMoyasarPayment(existing);
    }
  },
});

async function readBack(ctx: MoyasarContext, id: string, signal: AbortSignal | undefined): Promise<WirePayment> {
  return ctx.http.request({
    path: `/v1/payments/${encodeURIComponent(id)}`,
    schema: WirePayment,
    operation: 'createPayment.readBack',
    signal,
  });
}
