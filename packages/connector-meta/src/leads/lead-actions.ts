import { action, Lead } from '@hmi/core';
import { z } from 'zod';
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
