import { action } from '@hmi/core';
import { Campaign } from '@hmi/core/schemas';
import { z } from 'zod';
import type { MetaContext } from '../meta-context.js';
import { adAccount } from './campaigns-stream.js';
import { CAMPAIGN_FIELDS, toCampaign, WireAdObject } from './marketing-model.js';

/** Input of `createCampaign`. */
export const CreateCampaignInput = z.object({
  name: z.string().min(1).max(400),
  /** Meta's objective, e.g. `OUTCOME_LEADS`, `OUTCOME_AWARENESS`, `OUTCOME_TRAFFIC`. */
  objective: z.string().regex(/^[A-Z_]{3,64}$/, 'expected a Meta objective such as OUTCOME_LEADS'),
  /** Meta's special ad categories; health ads in some markets need one. Default none. */
  specialAdCategories: z
    .array(z.string().regex(/^[A-Z_]{3,64}$/))
    .max(10)
    .default([]),
  /** Daily budget in the account currency's minor unit. */
  dailyBudgetMinor: z.number().int().positive().optional(),
});

const Created = z.object({ id: z.string().min(1).max(64) });

/**
 * Creates a campaign, always PAUSED (`POST act_<id>/campaigns`): nothing spends until a person
 * resumes it. Graph takes no idempotency key, so the core does not repeat this write after an
 * unknown outcome (`outcomeUnknown`); look for the campaign by name before creating it again.
 * Targeting lives in ad sets and no audience (patient list) upload is offered.
 */
export const createCampaign = action({
  description: 'Create an ad campaign, paused',
  idempotent: false,
  input: CreateCampaignInput,
  output: Campaign,
  async run(input, ctx: MetaContext, call) {
    const created = await ctx.http.request({
      method: 'POST',
      path: `${adAccount(ctx)}/campaigns`,
      json: {
        name: input.name,
        objective: input.objective,
        status: 'PAUSED',
        special_ad_categories: input.specialAdCategories,
        ...(input.dailyBudgetMinor !== undefined && { daily_budget: input.dailyBudgetMinor }),
      },
      schema: Created,
      operation: 'createCampaign',
      signal: call.signal,
    });
    return toCampaign({ id: created.id, name: input.name, status: 'PAUSED', objective: input.objective });
  },
});

/** Input of `setCampaignStatus`. */
export const SetCampaignStatusInput = z.object({
  campaignId: z.string().regex(/^\d{1,32}$/, 'expected a numeric campaign id'),
  status: z.enum(['paused', 'active']),
});

/**
 * Pauses or resumes a campaign (`POST /<campaign id>` with `status`), then reads it back. Setting a
 * status twice changes nothing, so the caller (or an outbox) may repeat the action; the core itself
 * does not repeat the keyless POST after an unknown outcome (Graph takes no idempotency key).
 */
export const setCampaignStatus = action({
  description: 'Pause or resume an ad campaign',
  idempotent: true,
  input: SetCampaignStatusInput,
  output: Campaign,
  async run(input, ctx: MetaContext, call) {
    await ctx.http.request({
      method: 'POST',
      path: input.campaignId,
      json: { status: input.status === 'paused' ? 'PAUSED' : 'ACTIVE' },
      schema: z.object({ success: z.boolean() }),
      operation: 'setCampaignStatus',
      signal: call.signal,
    });
    const wire = await ctx.http.request({
      path: input.campaignId,
      query: { fields: CAMPAIGN_FIELDS.join(',') },
      schema: WireAdObject,
      operation: 'setCampaignStatus',
      signal: call.signal,
    });
    return toCampaign(wire);
  },
});
