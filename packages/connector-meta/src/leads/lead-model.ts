import { Lead } from '@hmi/core/schemas';
import { z } from 'zod';

/** Fields read from `GET /<lead id>` (names as in Meta's Lead spec). */
export const LEAD_FIELDS = [
  'id',
  'created_time',
  'ad_id',
  'adset_id',
  'campaign_id',
  'form_id',
  'is_organic',
  'field_data',
  'custom_disclaimer_responses',
] as const;

/** A lead as Graph returns it; unread fields are tolerated. */
export const WireLead = z.object({
  id: z.string().min(1).max(64),
  created_time: z.string().max(64).optional(),
  ad_id: z.string().max(64).optional(),
  adset_id: z.string().max(64).optional(),
  campaign_id: z.string().max(64).optional(),
  form_id: z.string().max(64).optional(),
  is_organic: z.boolean().optional(),
  field_data: z
    .array(z.object({ name: z.string().max(256), values: z.array(z.string().max(10_000)).max(100).default([]) }))
    .max(500)
    .default([]),
  custom_disclaimer_responses: z
    .array(z.object({ checkbox_key: z.string().max(256), is_checked: z.union([z.string(), z.boolean()]).optional() }))
    .max(100)
    .default([]),
});
/** A lead as Graph returns it. */
export type WireLead = z.infer<typeof WireLead>;

/** Graph writes `2026-12-03T10:15:00+0000`; ISO 8601 wants a colon in the offset. */
export function graphTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const fixed = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Number.isNaN(Date.parse(fixed)) ? undefined : new Date(fixed).toISOString();
}

/** Maps a Graph lead to the canonical {@link Lead}; consent checkboxes become booleans. */
export function toLead(wire: WireLead, pageId?: string): Lead {
  const createdAt = graphTime(wire.created_time);
  return Lead.parse({
    id: wire.id,
    source: { system: 'meta', id: wire.id },
    ...(wire.form_id && { formId: wire.form_id }),
    ...(pageId && { pageId }),
    ...(wire.campaign_id && { campaignId: wire.campaign_id }),
    ...(wire.adset_id && { adSetId: wire.adset_id }),
    ...(wire.ad_id && { adId: wire.ad_id }),
    answers: wire.field_data.map((f) => ({ name: f.name, values: f.values })),
    consents: wire.custom_disclaimer_responses.map((c) => ({
      key: c.checkbox_key,
      accepted: c.is_checked === true || c.is_checked === '1' || c.is_checked === 'true',
    })),
    ...(wire.is_organic !== undefined && { organic: wire.is_organic }),
    ...(createdAt && { createdAt }),
  });
}
