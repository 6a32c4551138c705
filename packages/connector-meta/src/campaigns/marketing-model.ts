import type { Campaign } from '@hmi/core';
import { z } from 'zod';
import { graphTime } from '../leads/lead-model.js';

/** Fields read from campaigns, ad sets and ads (names as in Meta's Campaign, AdSet and Ad specs). */
export const CAMPAIGN_FIELDS = [
  'id',
  'name',
  'status',
  'effective_status',
  'objective',
  'start_time',
  'stop_time',
  'updated_time',
];
/** Ad set fields. */
export const ADSET_FIELDS = ['id', 'name', 'campaign_id', 'status', 'effective_status', 'start_time', 'end_time', 'updated_time'];
/** Ad fields. */
export const AD_FIELDS = ['id', 'name', 'campaign_id', 'adset_id', 'status', 'effective_status', 'updated_time'];

/** A campaign, ad set or ad as Graph returns it (the union of the fields read). */
export const WireAdObject = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(1000).default(''),
  status: z.string().max(64).optional(),
  effective_status: z.string().max(64).optional(),
  objective: z.string().max(128).optional(),
  start_time: z.string().max(64).optional(),
  stop_time: z.string().max(64).optional(),
  end_time: z.string().max(64).optional(),
  updated_time: z.string().max(64).optional(),
});
/** A campaign, ad set or ad as Graph returns it. */
export type WireAdObject = z.infer<typeof WireAdObject>;

/** Meta's delivery status → the canonical campaign status. */
export function campaignStatus(status: string | undefined): Campaign['status'] {
  const s = (status ?? '').toUpperCase();
  if (s === 'ACTIVE') return 'active';
  if (s.endsWith('PAUSED') || s === 'DISAPPROVED' || s === 'WITH_ISSUES') return 'paused';
  if (s === 'ARCHIVED' || s === 'DELETED') return 'archived';
  if (s === 'PENDING_REVIEW' || s === 'IN_PROCESS' || s === 'PREAPPROVED' || s === 'PENDING_BILLING_INFO') return 'scheduled';
  return 'draft';
}

/** Maps a campaign, ad set or ad to the canonical {@link Campaign} (channel `ads`). */
export function toCampaign(wire: WireAdObject): Campaign {
  const startAt = graphTime(wire.start_time);
  const endAt = graphTime(wire.stop_time ?? wire.end_time);
  const updatedAt = graphTime(wire.updated_time);
  return {
    id: wire.id,
    source: { system: 'meta', id: wire.id },
    name: wire.name,
    channel: 'ads',
    status: campaignStatus(wire.effective_status ?? wire.status),
    ...(wire.objective && { objective: wire.objective }),
    ...(startAt && { startAt }),
    ...(endAt && { endAt }),
    ...(updatedAt && { updatedAt }),
  };
}

/** Insights fields read per campaign and day (names as in Meta's AdsInsights spec). */
export const INSIGHTS_FIELDS = [
  'campaign_id',
  'campaign_name',
  'account_currency',
  'spend',
  'impressions',
  'clicks',
  'reach',
  'actions',
  'cost_per_action_type',
  'date_start',
  'date_stop',
];

const ActionStat = z.object({ action_type: z.string().max(128), value: z.union([z.string(), z.number()]) });

/** One insights row as Graph returns it: numbers come as decimal strings. */
export const WireInsight = z.object({
  campaign_id: z.string().max(64),
  account_currency: z.string().length(3).optional(),
  spend: z.string().max(32).optional(),
  impressions: z.string().max(32).optional(),
  clicks: z.string().max(32).optional(),
  reach: z.string().max(32).optional(),
  actions: z.array(ActionStat).max(500).optional(),
  cost_per_action_type: z.array(ActionStat).max(500).optional(),
  date_start: z.string().max(32),
  date_stop: z.string().max(32),
});
/** One insights row. */
export type WireInsight = z.infer<typeof WireInsight>;

/** The action types Meta counts a lead under (Lead Ads forms, pixel leads). */
const LEAD_ACTIONS = new Set(['lead', 'leadgen_grouped', 'onsite_conversion.lead_grouped', 'offsite_conversion.fb_pixel_lead']);

function num(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The engagement figures of one insights row (a campaign's day). */
export interface InsightMetric {
  subjectId: string;
  subjectType: 'campaign';
  metric: string;
  value: number;
  unit?: string;
  periodStart: string;
  periodEnd: string;
  source: { system: string; id: string };
}

/**
 * One insights row → EngagementMetrics: `spend` and `cost_per_lead` carry the account currency as
 * `unit` (major units, as Meta reports them); `impressions`, `clicks`, `reach`, `leads` are counts.
 * The period is the row's day (`date_start` to `date_stop`, whole days in the account's time zone).
 */
export function toInsightMetrics(row: WireInsight): InsightMetric[] {
  const periodStart = `${row.date_start}T00:00:00.000Z`;
  const periodEnd = `${row.date_stop}T23:59:59.999Z`;
  const base = {
    subjectId: row.campaign_id,
    subjectType: 'campaign' as const,
    periodStart,
    periodEnd,
    source: { system: 'meta', id: `${row.campaign_id}:${row.date_start}` },
  };
  const currency = row.account_currency?.toUpperCase();
  const out: InsightMetric[] = [];
  const push = (metric: string, value: number | undefined, money = false) => {
    if (value === undefined) return;
    out.push({ ...base, metric, value, ...(money && currency && { unit: currency }) });
  };
  push('spend', num(row.spend), true);
  push('impressions', num(row.impressions));
  push('clicks', num(row.clicks));
  push('reach', num(row.reach));
  const leadStat = row.actions?.find((a) => LEAD_ACTIONS.has(a.action_type));
  const leads = num(leadStat?.value);
  push('leads', leads ?? (row.actions ? 0 : undefined));
  const costStat = row.cost_per_action_type?.find((a) => LEAD_ACTIONS.has(a.action_type));
  const spend = num(row.spend);
  const costPerLead =
    num(costStat?.value) ?? (leads && spend !== undefined ? Math.round((spend / leads) * 100) / 100 : undefined);
  push('cost_per_lead', costPerLead, true);
  return out;
}
