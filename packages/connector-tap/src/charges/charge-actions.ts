import { randomUUID } from 'node:crypto';
import { action, isHmiError, phi } from '@hmi/core';
import { z } from 'zod';
import { toTapAmount } from '../shared/amounts.js';
import { assertNoDiagnosis, CrmId, CrmMetadata, tapIdempotentFor } from '../shared/helpers.js';
import type { TapContext } from '../tap-context.js';
import { CONTACT_ID_METADATA_KEY, TapPayment, toTapPayment, WireCharge } from '../tap-model.js';

// Local schemes accept one currency only; Tap refuses the rest, hmi refuses them before sending.
const SOURCE_CURRENCY: Readonly<Record<string, string>> = { 'src_kw.knet': 'KWD', 'src_bh.benefit': 'BHD', 'src_sa.mada': 'SAR' };

/** The payer as Tap wants it: an existing customer id, or a name with optional contact details. Patient data. */
export const TapCustomerInput = z.union([
  z.object({ id: z.string().regex(/^cus_[A-Za-z0-9]+$/, 'expected a Tap customer id (cus_…)') }),
  z.object({
    firstName: phi(z.string().min(1).max(100)),
    lastName: phi(z.string().min(1).max(100)).optional(),
    email: phi(z.email()).optional(),
    phone: z.object({ countryCode: z.string().regex(/^\d{1,4}$/), number: phi(z.string().regex(/^\d{5,15}$/)) }).optional(),
  }),
]);

/** Input of `createCharge` and `createAuthorize`. */
export const CreateChargeInput = z
  .object({
    /** Minor units: 125 is 0.125 KWD, 15050 is 150.50 SAR. */
    amountMinor: z.number().int().positive().max(1_000_000_000_000),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/)
      .transform((c) => c.toUpperCase()),
    /**
     * What pays: a source (`src_all`, `src_card`, `src_kw.knet`, `src_bh.benefit`, `src_sa.mada`, …),
     * a token from Tap's card SDK or Apple Pay (`tok_…`), or an authorization to capture (`auth_…`).
     */
    sourceId: z
      .string()
      .regex(/^(src_[a-z0-9_.]{2,40}|tok_[A-Za-z0-9]{6,64}|auth_[A-Za-z0-9]{6,64})$/, 'expected src_…, tok_… or auth_…'),
    customer: TapCustomerInput,
    /** Where Tap sends the payer back after 3-D Secure / KNET / Benefit. */
    redirectUrl: z.string().url(),
    /** Your webhook URL for this charge (Tap posts the charge there, signed with `hashstring`). */
    postUrl: z.string().url().optional(),
    /** Shown in Tap's dashboard and receipts. Checked for diagnoses. */
    description: z.string().min(1).max(255).optional(),
    /** The CRM contact paying (metadata `hmi_contact_id`). */
    contactId: CrmId.optional(),
    /** The CRM or ERP invoice being paid (`reference.order`). */
    invoiceId: CrmId.optional(),
    /** The CRM's own reference for this payment (`reference.transaction`). */
    transactionRef: CrmId.optional(),
    metadata: CrmMetadata.optional(),
    /** 3-D Secure for cards. Default true. */
    threeDSecure: z.boolean().default(true),
  })
  .superRefine((input, ctx) => {
    const required = SOURCE_CURRENCY[input.sourceId];
    if (required && input.currency !== required) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: `${input.sourceId} accepts ${required} only` });
    }
  });
/** Input of `createCharge`. */
export type CreateChargeInput = z.input<typeof CreateChargeInput>;

function chargeBody(input: z.output<typeof CreateChargeInput>, idempotent: string): Record<string, unknown> {
  const c = input.customer;
  const metadata = { ...input.metadata, ...(input.contactId && { [CONTACT_ID_METADATA_KEY]: input.contactId }) };
  return {
    amount: toTapAmount(input.amountMinor, input.currency),
    currency: input.currency,
    customer_initiated: true,
    threeDSecure: input.threeDSecure,
    save_card: false,
    ...(input.description && { description: input.description }),
    ...(Object.keys(metadata).length && { metadata }),
    reference: {
      ...(input.transactionRef && { transaction: input.transactionRef }),
      ...(input.invoiceId && { order: input.invoiceId }),
      idempotent,
    },
    receipt: { email: false, sms: false },
    customer:
      'id' in c
        ? { id: c.id }
        : {
            first_name: c.firstName,
            ...(c.lastName && { last_name: c.lastName }),
            ...(c.email && { email: c.email }),
            ...(c.phone && { phone: { country_code: c.phone.countryCode, number: c.phone.number } }),
          },
    source: { id: input.sourceId },
    ...(input.postUrl && { post: { url: input.postUrl } }),
    redirect: { url: input.redirectUrl },
  };
}

function keyed(kind: 'charges' | 'authorize', description: string) {
  return action({
    description,
    idempotent: false,
    input: CreateChargeInput,
    output: TapPayment,
    async run(input, ctx: TapContext, call) {
      assertNoDiagnosis(input.description, ctx.config.descriptionVocabulary);
      const idempotencyKey = call.idempotencyKey ?? randomUUID();
      const wire = await ctx.http.request({
        method: 'POST',
        path: `/v2/${kind}`,
        json: chargeBody(input, tapIdempotentFor(idempotencyKey)),
        // Tap dedupes on `reference.idempotent` for 24 hours; the key also rides the Idempotency-Key
        // header so the core treats the POST as a keyed write it may retry.
        idempotencyKey,
        schema: WireCharge,
        operation: call.operation,
        signal: call.signal,
      });
      return toTapPayment(wire);
    },
  });
}

/**
 * Creates a charge (`POST /v2/charges`) from a source, token or authorization. Idempotent: the
 * call's key goes in `reference.idempotent` (Tap returns the original charge for a repeat within
 * 24 hours) and is reused on every retry. `INITIATED` with `transactionUrl` means the payer must
 * finish there (3-D Secure, KNET, Benefit).
 */
export const createCharge = keyed(
  'charges',
  'Create a Tap charge (source, token or authorization), idempotent by reference.idempotent',
);

/** Authorizes without capturing (`POST /v2/authorize`); capture later with `createCharge({ sourceId: 'auth_…' })` or void it. */
export const createAuthorize = keyed('authorize', 'Authorize a Tap payment without capturing it');

const ChargeId = z.string().regex(/^chg_[A-Za-z0-9]+$/, 'expected a Tap charge id (chg_…)');
const AuthorizeId = z.string().regex(/^auth_[A-Za-z0-9]+$/, 'expected a Tap authorization id (auth_…)');

/** Input of `retrieveCharge`. */
export const RetrieveChargeInput = z.object({ id: ChargeId });
/** Input of `retrieveAuthorize` and `voidAuthorize`. */
export const AuthorizeIdInput = z.object({ id: AuthorizeId });

/** Reads a charge or authorization by id: the source of truth after a redirect or webhook. */
export function getCharge(ctx: TapContext, id: string, operation: string, signal: AbortSignal | undefined): Promise<WireCharge> {
  const kind = id.startsWith('auth_') ? 'authorize' : 'charges';
  return ctx.http.request({ path: `/v2/${kind}/${encodeURIComponent(id)}`, schema: WireCharge, operation, signal });
}

/** Reads a charge (`GET /v2/charges/{id}`). */
export const retrieveCharge = action({
  description: 'Read a Tap charge',
  idempotent: true,
  input: RetrieveChargeInput,
  output: TapPayment,
  async run(input, ctx: TapContext, call) {
    return toTapPayment(await getCharge(ctx, input.id, call.operation, call.signal));
  },
});

/** Reads an authorization (`GET /v2/authorize/{id}`). */
export const retrieveAuthorize = action({
  description: 'Read a Tap authorization',
  idempotent: true,
  input: AuthorizeIdInput,
  output: TapPayment,
  async run(input, ctx: TapContext, call) {
    return toTapPayment(await getCharge(ctx, input.id, call.operation, call.signal));
  },
});

/**
 * Voids an authorization (`POST /v2/authorize/{id}/void`). Tap takes no idempotency key here, so
 * the core never repeats it; when its outcome is unknown the authorization is read back, and the
 * call succeeds if it is `VOID`, else the original error (`outcomeUnknown`) is thrown.
 */
export const voidAuthorize = action({
  description: 'Void a Tap authorization, reconciled when the outcome is unknown',
  idempotent: false,
  input: AuthorizeIdInput,
  output: TapPayment,
  async run(input, ctx: TapContext, call) {
    try {
      const wire = await ctx.http.request({
        method: 'POST',
        path: `/v2/authorize/${encodeURIComponent(input.id)}/void`,
        schema: WireCharge,
        operation: call.operation,
        signal: call.signal,
      });
      return toTapPayment(wire);
    } catch (error) {
      if (!isHmiError(error) || !error.outcomeUnknown) throw error;
      const after = await getCharge(ctx, input.id, `${call.operation}.reconcile`, call.signal).catch(() => undefined);
      if (after?.status === 'VOID') return toTapPayment(after);
      throw error;
    }
  },
});
