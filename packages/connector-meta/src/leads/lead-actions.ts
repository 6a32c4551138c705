import { action } from '@hmi/core';
import { Lead } from '@hmi/core/schemas';
import { z } from 'zod';
import { graphBatchGet } from '../graph/batch.js';
import type { MetaContext } from '../meta-context.js';
import { LEAD_FIELDS, toLead, WireLead } from './lead-model.js';

/** Input of `getLead`. */
export const GetLeadInput = z.object({
  /** The `leadgen_id` of the webhook. */
  leadId: z.string().regex(/^\d{1,32}$/, 'expected a numeric lead id'),
  /** The Page the form belongs to, when known (the webhook says). */
  pageId: z
    .string()
    .regex(/^\d{1,32}$/)
    .optional(),
});

/**
 * Reads one Lead Ads lead (`GET /<lead id>?fields=…`) → a canonical Lead: form, campaign/ad set/ad
 * ids, field answers (PHI from here on: the redactor scrubs them) and the consent checkboxes.
 */
export const getLead = action({
  description: 'Read a Lead Ads lead with its answers and consent checkboxes',
  idempotent: true,
  input: GetLeadInput,
  output: Lead,
  async run(input, ctx: MetaContext, call) {
    const wire = await ctx.http.request({
      path: encodeURIComponent(input.leadId),
      query: { fields: LEAD_FIELDS.join(',') },
      schema: WireLead,
      operation: 'getLead',
      signal: call.signal,
    });
    return toLead(wire, input.pageId);
  },
});

/** Input of `getLeads`. */
export const GetLeadsInput = z.object({
  leadIds: z
    .array(z.string().regex(/^\d{1,32}$/, 'expected a numeric lead id'))
    .min(1)
    .max(500),
});

/** What `getLeads` read: the leads, and the ids that failed with the error code (never a value). */
export const GetLeadsOutput = z.object({
  leads: z.array(Lead),
  failed: z.array(z.object({ leadId: z.string(), code: z.string(), retryable: z.boolean() })),
});

/**
 * Reads many leads in Graph batches (50 per call) — after a backlog of `leadgen` webhooks, one
 * call instead of fifty. A lead that fails is listed in `failed` with its error code; the rest
 * are returned.
 */
export const getLeads = action({
  description: 'Read many Lead Ads leads in Graph batches',
  idempotent: true,
  input: GetLeadsInput,
  output: GetLeadsOutput,
  async run(input, ctx: MetaContext, call) {
    const results = await graphBatchGet(
      ctx.http,
      input.leadIds.map((id) => ({ relativeUrl: `${id}?fields=${LEAD_FIELDS.join(',')}` })),
      { connector: 'meta', operation: 'getLeads', ...(call.signal && { signal: call.signal }) },
    );
    const leads: Lead[] = [];
    const failed: z.infer<typeof GetLeadsOutput>['failed'] = [];
    results.forEach((result, i) => {
      const leadId = input.leadIds[i]!;
      const parsed = result.ok ? WireLead.safeParse(result.body) : undefined;
      if (parsed?.success) leads.push(toLead(parsed.data));
      else if (!result.ok)
        failed.push({ leadId, code: result.error.vendorCode ?? result.error.code, retryable: result.error.retryable });
      else failed.push({ leadId, code: 'invalid_response', retryable: false });
    });
    return { leads, failed };
  },
});
