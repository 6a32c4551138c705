import { ConfigError, stream } from '@hmi/core';
import { Campaign } from '@hmi/core/schemas';
import { z } from 'zod';
import { paginateGraph } from '../graph/paging.js';
import type { MetaContext } from '../meta-context.js';
import { AD_FIELDS, ADSET_FIELDS, CAMPAIGN_FIELDS, toCampaign, WireAdObject } from './marketing-model.js';

/** Where a campaigns, ad sets or ads read is: Meta's `after` cursor (null before the first page). */
export const AdObjectsCheckpoint = z.object({ after: z.string().min(1).max(2048).nullable() });
/** A campaigns / ad sets / ads checkpoint. */
export type AdObjectsCheckpoint = z.infer<typeof AdObjectsCheckpoint>;

/** The configured ad account, or a ConfigError. */
export function adAccount(ctx: MetaContext): string {
  if (!ctx.config.adAccountId) throw new ConfigError('set adAccountId to read the Marketing API', { connector: 'meta' });
  return ctx.config.adAccountId;
}

function adObjects(edge: 'campaigns' | 'adsets' | 'ads', fields: string[], description: string) {
  return stream({
    description,
    record: Campaign,
    checkpoint: AdObjectsCheckpoint,
    async *read(ctx: MetaContext, { checkpoint, signal }) {
      let after = checkpoint?.after ?? null;
      const pages = paginateGraph(ctx.http, {
        path: `${adAccount(ctx)}/${edge}`,
        query: { fields: fields.join(','), limit: ctx.config.pageSize },
        item: WireAdObject,
        graphOrigin: ctx.origin,
        operation: edge,
        ...(after !== null && { after }),
        ...(signal && { signal }),
      });
      for await (const page of pages) {
        after = page.after ?? after;
        yield { records: page.items.map(toCampaign), checkpoint: { after } };
      }
    },
  });
}

/** The ad account's campaigns → Campaign (channel `ads`), cursor paged. */
export const campaigns = adObjects('campaigns', CAMPAIGN_FIELDS, "The ad account's campaigns");
/** The ad account's ad sets → Campaign. */
export const adSets = adObjects('adsets', ADSET_FIELDS, "The ad account's ad sets");
/** The ad account's ads → Campaign. */
export const ads = adObjects('ads', AD_FIELDS, "The ad account's ads");
