import { ValidationError } from '@hmi/core';
import { z } from 'zod';
import type { XContext } from '../x-context.js';
import { newerId, type WirePost, WireTimelinePage, XId } from '../x-model.js';

/**
 * Where a timeline read is. `sinceId` is the newest post already delivered (null before the
 * first read). X pages newest first, so `sinceId` only moves once a read has reached its last
 * page: until then `resume` holds the next page's token and the newest id seen, and a resumed
 * read continues from that token with the old `sinceId` — nothing is skipped or repeated.
 */
export const TimelineCheckpoint = z.object({
  sinceId: XId.nullable(),
  resume: z.object({ paginationToken: z.string().min(1).max(512), newestId: XId }).optional(),
});
/** A timeline checkpoint. */
export type TimelineCheckpoint = z.infer<typeof TimelineCheckpoint>;

/** One page read, with the authors' handles from `includes.users`. */
export interface TimelinePage {
  posts: WirePost[];
  authors: Map<string, string>;
  checkpoint: TimelineCheckpoint;
}

/** Pages no read follows more of: X serves at most 3 200 posts of a timeline (800 mentions). */
const MAX_PAGES = 400;

/**
 * Reads `/2/users/{id}/tweets` or `/2/users/{id}/mentions` with `since_id` and
 * `pagination_token`, asking for public metrics and the author's handle.
 */
export async function* readTimeline(
  ctx: XContext,
  endpoint: 'tweets' | 'mentions',
  checkpoint: TimelineCheckpoint | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<TimelinePage> {
  const userId = await ctx.userId(signal);
  const sinceId = checkpoint?.sinceId ?? null;
  let token = checkpoint?.resume?.paginationToken;
  let newest = checkpoint?.resume?.newestId ?? null;
  const seenTokens = new Set<string>();
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await ctx.http.request({
      path: `/2/users/${userId}/${endpoint}`,
      query: {
        max_results: ctx.config.pageSize,
        [ctx.config.fieldsParameter]: 'created_at,lang,public_metrics,conversation_id',
        expansions: 'author_id',
        'user.fields': 'username',
        ...(sinceId !== null && { since_id: sinceId }),
        ...(token !== undefined && { pagination_token: token }),
      },
      schema: WireTimelinePage,
      operation: endpoint === 'tweets' ? 'posts' : 'mentions',
      ...(signal && { signal }),
    });
    const posts = (page.data ?? []).filter((post) => newerId(post.id, sinceId));
    for (const post of posts) if (newerId(post.id, newest)) newest = post.id;
    const authors = new Map((page.includes?.users ?? []).flatMap((u) => (u.username ? [[u.id, u.username] as const] : [])));
    const next = page.meta?.next_token;
    if (next !== undefined && seenTokens.has(next)) {
      throw new ValidationError('X returned a pagination token it had already given: the read stopped', {
        connector: 'x',
        issues: [{ path: ['meta', 'next_token'], code: 'repeated_token', message: 'pagination loop' }],
      });
    }
    if (next !== undefined && newest !== null) {
      seenTokens.add(next);
      token = next;
      yield { posts, authors, checkpoint: { sinceId, resume: { paginationToken: next, newestId: newest } } };
      continue;
    }
    yield { posts, authors, checkpoint: { sinceId: newest ?? sinceId } };
    return;
  }
}
