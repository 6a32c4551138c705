import { stream } from '@hmi/core';
import type { XContext } from '../x-context.js';
import { toEngagementMetrics, toSocialPost, XPostRecord } from '../x-model.js';
import { readTimeline, TimelineCheckpoint } from './timeline.js';

/**
 * The account's posts, newest first within a read, each as a SocialPost with its public metrics
 * (likes, replies, reposts, quotes, bookmarks, impressions) as EngagementMetrics measured at the
 * time of the read. Incremental: a saved checkpoint returns only posts newer than the last read
 * (`since_id`).
 */
export const posts = stream({
  description: "The account's posts with public metrics (since_id incremental, pagination_token paging)",
  record: XPostRecord,
  checkpoint: TimelineCheckpoint,
  async *read(ctx: XContext, { checkpoint, signal }) {
    for await (const page of readTimeline(ctx, 'tweets', checkpoint, signal)) {
      const measuredAt = new Date(ctx.now()).toISOString();
      yield {
        records: page.posts.map((post) => ({
          post: toSocialPost(post, (post.author_id && page.authors.get(post.author_id)) || ctx.username()),
          metrics: toEngagementMetrics(post, measuredAt),
        })),
        checkpoint: page.checkpoint,
      };
    }
  },
});
