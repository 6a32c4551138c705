import { stream } from '@hmi/core';
import { EngagementMetric, Message, SocialPost } from '@hmi/core/schemas';
import { z } from 'zod';
import { graphTime } from '../leads/lead-model.js';
import { paginateGraph } from '../graph/paging.js';
import type { MetaContext } from '../meta-context.js';
import { missingConfig } from '../meta-error.js';

/** Post fields read (names as in Meta's PagePost spec; the summaries are Graph field expansions). */
export const POST_FIELDS = [
  'id',
  'message',
  'created_time',
  'permalink_url',
  'is_published',
  'scheduled_publish_time',
  'shares',
  'reactions.summary(total_count).limit(0)',
  'comments.summary(total_count).limit(0)',
];

const Summary = z.object({ summary: z.object({ total_count: z.number().int().nonnegative() }).optional() }).optional();

/** A Page post as Graph returns it. */
export const WirePost = z.object({
  id: z.string().min(1).max(128),
  message: z.string().max(100_000).optional(),
  created_time: z.string().max(64).optional(),
  permalink_url: z.string().max(2048).optional(),
  is_published: z.boolean().optional(),
  scheduled_publish_time: z.number().optional(),
  shares: z.object({ count: z.number().int().nonnegative() }).optional(),
  reactions: Summary,
  comments: Summary,
});
/** A Page post as Graph returns it. */
export type WirePost = z.infer<typeof WirePost>;

/** Where a posts read is: Meta's `after` cursor (null before the first page). */
export const PostsCheckpoint = z.object({ after: z.string().min(1).max(2048).nullable() });

/** A Page post → the canonical SocialPost. */
export function toSocialPost(wire: WirePost): SocialPost {
  const publishedAt = graphTime(wire.created_time);
  const scheduled = wire.scheduled_publish_time;
  return {
    id: wire.id,
    source: { system: 'meta', id: wire.id },
    platform: 'facebook',
    ...(wire.message && { text: wire.message }),
    ...(wire.permalink_url && { url: wire.permalink_url }),
    status: wire.is_published === false ? 'scheduled' : 'published',
    ...(wire.is_published !== false && publishedAt && { publishedAt }),
    ...(scheduled !== undefined && { scheduledAt: new Date(scheduled * 1000).toISOString() }),
  };
}

/** A Page post's reactions, comments and shares → EngagementMetrics (as of the read). */
export function toPostMetrics(wire: WirePost): EngagementMetric[] {
  const base = { subjectId: wire.id, subjectType: 'post' as const, source: { system: 'meta', id: wire.id } };
  const out: EngagementMetric[] = [];
  if (wire.reactions?.summary) out.push({ ...base, metric: 'reactions', value: wire.reactions.summary.total_count });
  if (wire.comments?.summary) out.push({ ...base, metric: 'comments', value: wire.comments.summary.total_count });
  out.push({ ...base, metric: 'shares', value: wire.shares?.count ?? 0 });
  return out;
}

async function* pagePosts(ctx: MetaContext, after: string | null, signal: AbortSignal | undefined, operation: string) {
  const page = ctx.config.pageId;
  if (!page) throw missingConfig('pageId', 'read Page posts');
  yield* paginateGraph(ctx.http, {
    path: `${page}/published_posts`,
    query: { fields: POST_FIELDS.join(','), limit: ctx.config.pageSize },
    item: WirePost,
    graphOrigin: ctx.origin,
    operation,
    ...(after !== null && { after }),
    ...(signal && { signal }),
  });
}

/** The Page's published posts, newest first → SocialPost. */
export const posts = stream({
  description: "The Page's published posts",
  record: SocialPost,
  checkpoint: PostsCheckpoint,
  async *read(ctx: MetaContext, { checkpoint, signal }) {
    let after = checkpoint?.after ?? null;
    for await (const page of pagePosts(ctx, after, signal, 'posts')) {
      after = page.after ?? after;
      yield { records: page.items.map(toSocialPost), checkpoint: { after } };
    }
  },
});

/** Reactions, comments and shares of the Page's posts → EngagementMetric. */
export const postEngagement = stream({
  description: "Reactions, comments and shares of the Page's posts",
  record: EngagementMetric,
  checkpoint: PostsCheckpoint,
  async *read(ctx: MetaContext, { checkpoint, signal }) {
    let after = checkpoint?.after ?? null;
    for await (const page of pagePosts(ctx, after, signal, 'postEngagement')) {
      after = page.after ?? after;
      yield { records: page.items.flatMap(toPostMetrics), checkpoint: { after } };
    }
  },
});

/** A comment as Graph returns it. `from` is read for its id only: the name is personal data. */
export const WireComment = z.object({
  id: z.string().min(1).max(128),
  message: z.string().max(100_000).optional(),
  created_time: z.string().max(64).optional(),
  from: z.object({ id: z.string().max(64) }).optional(),
});

/** Where a `comments` read is: the post being read and its cursor (null at the start). */
export const CommentsCheckpoint = z.object({
  postId: z.string().regex(/^[\d_]{1,80}$/, 'expected a Graph post id'),
  after: z.string().min(1).max(2048).nullable().optional(),
});

/**
 * Comments on one Page post for moderation (`GET /<post id>/comments`) → inbound Message with
 * `channel: 'social'`; the text is PHI-marked (people write about their health). Start the read
 * with a checkpoint `{ postId }` (from the `posts` stream or a `feed` webhook).
 */
export const comments = stream({
  description: 'Comments on a Page post, as inbound social messages',
  record: Message,
  checkpoint: CommentsCheckpoint,
  async *read(ctx: MetaContext, { checkpoint, signal }) {
    if (!checkpoint) throw missingConfig('the checkpoint postId', 'read comments of a post');
    let after = checkpoint.after ?? null;
    const pages = paginateGraph(ctx.http, {
      path: `${checkpoint.postId}/comments`,
      query: { fields: 'id,message,created_time,from{id}', filter: 'stream', limit: ctx.config.pageSize },
      item: WireComment,
      graphOrigin: ctx.origin,
      operation: 'comments',
      ...(after !== null && { after }),
      ...(signal && { signal }),
    });
    for await (const page of pages) {
      after = page.after ?? after;
      yield {
        records: page.items.map((c): Message => {
          const createdAt = graphTime(c.created_time);
          return {
            id: c.id,
            source: { system: 'meta', id: c.id },
            channel: 'social',
            direction: 'inbound',
            to: checkpoint.postId,
            ...(c.from && { from: c.from.id }),
            ...(c.message && { body: c.message }),
            status: 'received',
            ...(createdAt && { createdAt }),
          };
        }),
        checkpoint: { postId: checkpoint.postId, after },
      };
    }
  },
});
