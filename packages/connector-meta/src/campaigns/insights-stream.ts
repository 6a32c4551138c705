import { stream } from '@hmi/core';
import { EngagementMetric } from '@hmi/core/schemas';
import { z } from 'zod';
import { paginateGraph } from '../graph/paging.js';
import type { MetaContext } from '../meta-context.js';
import { adAccount } from './campaigns-stream.js';
import { INSIGHTS_FIELDS, toInsightMetrics, WireInsight } from './marketing-model.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * Where a `campaignInsights` read is: the days asked for (`since`..`until`, inclusive; default the
 * last 7 days by the instance clock) and Meta's `after` cursor within them.
 */
export const InsightsCheckpoint = z.object({
  since: Day.optional(),
  until: Day.optional(),
  after: z.string().min(1).max(2048).nullable().optional(),
});
/** A `campaignInsights` checkpoint. */
export type InsightsCheckpoint = z.infer<typeof InsightsCheckpoint>;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Daily insights per campaign of the ad account (`GET act_<id>/insights?level=campaign&
 * time_increment=1`) → EngagementMetrics: spend and cost per lead (with the account currency as
 * `unit`), impressions, clicks, reach and leads. Cursor paged; only `next` links on the Graph origin
 * are followed, and throttling (613 …) is retried by the core after Meta's usage window.
 */
export const campaignInsights = stream({
  description: 'Daily campaign insights: spend, impressions, clicks, reach, leads, cost per lead',
  record: EngagementMetric,
  checkpoint: InsightsCheckpoint,
  async *read(ctx: MetaContext, { checkpoint, signal }) {
    const now = ctx.config.now?.() ?? Date.now();
    const since = checkpoint?.since ?? day(now - 7 * 86_400_000);
    const until = checkpoint?.until ?? day(now);
    let after = checkpoint?.after ?? null;
    const pages = paginateGraph(ctx.http, {
      path: `${adAccount(ctx)}/insights`,
      query: {
        level: 'campaign',
        time_increment: '1',
        time_range: JSON.stringify({ since, until }),
        fields: INSIGHTS_FIELDS.join(','),
        limit: ctx.config.pageSize,
      },
      item: WireInsight,
      graphOrigin: ctx.origin,
      operation: 'campaignInsights',
      ...(after !== null && { after }),
      ...(signal && { signal }),
    });
    for await (const page of pages) {
      after = page.after ?? after;
      yield { records: page.items.flatMap(toInsightMetrics), checkpoint: { since, until, after } };
    }
  },
});
