import { stream } from '@hmi/core';
import { Message } from '@hmi/core/schemas';
import { readTimeline, TimelineCheckpoint } from '../posts/timeline.js';
import type { XContext } from '../x-context.js';
import { toMentionMessage } from '../x-model.js';

/**
 * Posts that mention the account, as inbound Messages on the `social` channel (the text is
 * patient-authored and marked PHI). Answer one with `createPost({ replyToPostId: message.id })`.
 * Incremental with `since_id`, like `posts`.
 */
export const mentions = stream({
  description: 'Mentions of the account as inbound social messages (since_id incremental)',
  record: Message,
  checkpoint: TimelineCheckpoint,
  async *read(ctx: XContext, { checkpoint, signal }) {
    for await (const page of readTimeline(ctx, 'mentions', checkpoint, signal)) {
      const account = ctx.username() ? `@${ctx.username()}` : `x:${await ctx.userId(signal)}`;
      yield { records: page.posts.map((post) => toMentionMessage(post, account, page.authors)), checkpoint: page.checkpoint };
    }
  },
});
