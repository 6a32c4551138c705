import { randomUUID } from 'node:crypto';
import { action, isHmiError } from '@hmi/core';
import { z } from 'zod';
import type { MoyasarContext } from '../moyasar-context.js';
import {
  CONTACT_ID_METADATA_KEY,
  MoyasarInvoice,
  MoyasarInvoiceStatus,
  toMoyasarInvoice,
  WireInvoice,
  WireInvoicePage,
} from '../moyasar-model.js';
import { assertNoDiagnosis, CrmId, CrmMetadata, metadataOf } from '../shared/helpers.js';

/** The metadata key under which `createInvoice` records its idempotency key, to find the invoice again. */
export const REQUEST_KEY_METADATA_KEY = 'hmi_idempotency_key';

/** Input of `createInvoice`. */
export const CreateInvoiceInput = z.object({
  /** Minor units (halalas for SAR); Moyasar's minimum is 100. */
  amountMinor: z.number().int().min(100).max(1_000_000_000),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .default('SAR')
    .transform((c) => c.toUpperCase()),
  /** Shown to the payer on the hosted page. Checked for diagnoses: say "Outpatient visit", never the condition. */
  description: z.string().min(1).max(255),
  /** Moyasar POSTs the invoice here when it is paid (a notification, not a redirect). */
  callbackUrl: z.string().url().optional(),
  /** Where the payer lands after paying. */
  successUrl: z.string().url().optional(),
  /** Where the payer goes on "back". */
  backUrl: z.string().url().optional(),
  /** After this the link can no longer be paid. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  contactId: CrmId.optional(),
  /** The CRM or ERP invoice this payment link collects. */
  invoiceId: CrmId.optional(),
  metadata: CrmMetadata.optional(),
});

/**
 * Creates a hosted payment link (`POST /v1/invoices`) to send to a patient by SMS or email.
 * Moyasar takes no idempotency key for invoices, so the core never repeats the POST; the call's
 * idempotency key is stored in the invoice's metadata, and when the outcome is unknown (a 5xx or
 * timeout after sending) the connector looks the invoice up by it: found, it is returned; not
 * found, the original error (`outcomeUnknown`) is thrown. Repeating the call with the same key
 * after such an error is then safe.
 */
export const createInvoice = action({
  description: 'Create a Moyasar invoice (hosted payment link)',
  idempotent: false,
  input: CreateInvoiceInput,
  output: MoyasarInvoice,
  async run(input, ctx: MoyasarContext, call) {
    assertNoDiagnosis(input.description, ctx.config.descriptionVocabulary);
    const requestKey = (call.idempotencyKey ?? randomUUID()).slice(0, 128);
    const existing = call.idempotencyKey ? await findByRequestKey(ctx, requestKey, call) : undefined;
    if (existing) return toMoyasarInvoice(existing);
    const metadata = { ...metadataOf(input), [REQUEST_KEY_METADATA_KEY]: requestKey };
    try {
      const wire = await ctx.http.request({
        method: 'POST',
        path: '/v1/invoices',
        json: {
          amount: input.amountMinor,
          currency: input.currency,
          description: input.description,
          ...(input.callbackUrl && { callback_url: input.callbackUrl }),
          ...(input.successUrl && { success_url: input.successUrl }),
          ...(input.backUrl && { back_url: input.backUrl }),
          ...(input.expiresAt && { expired_at: input.expiresAt }),
          metadata,
        },
        schema: WireInvoice,
        operation: call.operation,
        signal: call.signal,
      });
      return toMoyasarInvoice(wire);
    } catch (error) {
      if (!isHmiError(error) || !error.outcomeUnknown) throw error;
      const found = await findByRequestKey(ctx, requestKey, call).catch(() => undefined);
      if (found) return toMoyasarInvoice(found);
      throw error;
    }
  },
});

async function findByRequestKey(
  ctx: MoyasarContext,
  key: string,
  call: { operation: string; signal: AbortSignal | undefined },
): Promise<WireInvoice | undefined> {
  const page = await ctx.http.request({
    path: '/v1/invoices',
    query: { [`metadata[${REQUEST_KEY_METADATA_KEY}]`]: key },
    schema: WireInvoicePage,
    operation: `${call.operation}.lookup`,
    signal: call.signal,
  });
  return page.invoices.find((i) => i.metadata?.[REQUEST_KEY_METADATA_KEY] === key);
}

/** Input of `fetchInvoice`. */
export const FetchInvoiceInput = z.object({ id: z.string().uuid('expected a Moyasar invoice id (a UUID)') });

/** Reads an invoice with its payment attempts (`GET /v1/invoices/{id}`). */
export const fetchInvoice = action({
  description: 'Read a Moyasar invoice and its payments',
  idempotent: true,
  input: FetchInvoiceInput,
  output: MoyasarInvoice,
  async run(input, ctx: MoyasarContext, call) {
    const wire = await ctx.http.request({
      path: `/v1/invoices/${encodeURIComponent(input.id)}`,
      schema: WireInvoice,
      operation: call.operation,
      signal: call.signal,
    });
    return toMoyasarInvoice(wire);
  },
});

/** Input of `listInvoices`. */
export const ListInvoicesInput = z.object({
  page: z.number().int().min(1).max(100_000).default(1),
  status: MoyasarInvoiceStatus.optional(),
  createdAfter: z.iso.datetime({ offset: true }).optional(),
  createdBefore: z.iso.datetime({ offset: true }).optional(),
  contactId: CrmId.optional(),
});

/** A page of invoices. */
export const InvoiceList = z.object({ invoices: z.array(MoyasarInvoice), nextPage: z.number().int().optional() });

/** Lists invoices with Moyasar's filters (`GET /v1/invoices`, 40 a page). */
export const listInvoices = action({
  description: 'List Moyasar invoices by status, creation time or CRM contact',
  idempotent: true,
  input: ListInvoicesInput,
  output: InvoiceList,
  async run(input, ctx: MoyasarContext, call) {
    const page = await ctx.http.request({
      path: '/v1/invoices',
      query: {
        page: input.page,
        status: input.status,
        'created[gt]': input.createdAfter,
        'created[lt]': input.createdBefore,
        [`metadata[${CONTACT_ID_METADATA_KEY}]`]: input.contactId,
      },
      schema: WireInvoicePage,
      operation: call.operation,
      signal: call.signal,
    });
    return { invoices: page.invoices.map(toMoyasarInvoice), ...(page.meta.next_page ? { nextPage: page.meta.next_page } : {}) };
  },
});
