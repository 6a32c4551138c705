import { stream } from '@hmi/core';
import { EngagementMetric } from '@hmi/core/schemas';
import { z } from 'zod';
import { graphTime } from '../leads/lead-model.js';
import type { MetaContext } from '../meta-context.js';
import { missingConfig } from '../meta-error.js';

/** Page metrics read per day: impressions (views) and reach (unique viewers), and post engagements. */
export const PAGE_METRICS = ['page_impressions', 'page_impressions_unique', 'page_post_engagements'];

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** The days a `pageInsights` read covers (default the last 7 days by the instance clock). */
export const PageInsightsCheckpoint = z.object({ since: Day.optional(), until: Day.optional() });

/** A Page insights answer (fields as in Meta's InsightsResult and InsightsValue specs). */
export const WirePageInsights = z.object({
  data: z
    .array(
      z.object({
        name: z.string().max(128),
        period: z.string().max(32),
        values: z.array(z.object({ value: z.unknown(), end_time: z.string().max(64).optional() })).max(1000),
      }),
    )
    .max(100),
});

/**
 * The Page's daily impressions, reach (`page_impressions_unique`) and post engagements
 * (`GET /<page>/insights?metric=…&period=day`) → EngagementMetric, subject `page`. Values that are
 * not plain numbers (breakdown maps) are skipped rather than guessed.
 */
export const pageInsights = stream({
  description: "The Page's daily impressions, reach and post engagements",
  record: EngagementMetric,
  checkpoint: PageInsightsCheckpoint,
  async *read(ctx: MetaContext, { checkpoint, signal }) {
    const page = ctx.config.pageId;
    if (!page) throw missingConfig('pageId', 'read Page insights');
    const now = ctx.config.now?.() ?? Date.now();
    const since = checkpoint?.since ?? new Date(now - 7 * 86_400_000).toISOString().slice(0, 10);
    const until = checkpoint?.until ?? new Date(now).toISOString().slice(0, 10);
    const answer = await ctx.http.request({
      path: `${page}/insights`,
      query: { metric: PAGE_METRICS.join(','), period: 'day', since, until },
      schema: WirePageInsights,
      operation: 'pageInsights',
      ...(signal && { signal }),
    });
    const records: EngagementMetric[] = [];
    for (const metric of answer.data) {
      for (const v of metric.values) {
        const end = graphTime(v.end_time);
        if (typeof v.value !== 'number' || !Number.isFinite(v.value) || !end) continue;
        // Graph stamps a day's value with the end of that day (midnight after it, Pacific time).
        records.push({
          subjectId: page,
          subjectType: 'page',
          metric: metric.name === 'page_impressions_unique' ? 'reach' : metric.name.replace(/^page_/, ''),
          value: v.value,
          periodStart: new Date(Date.parse(end) - 86_400_000).toISOString(),
          periodEnd: end,
          source: { system: 'meta', id: `${page}:${metric.name}:${v.end_time}` },
        });
      }
    }
    yield { records, checkpoint: { since, until } };
  },
});
