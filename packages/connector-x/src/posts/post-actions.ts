import { action, type HmiError, isHmiError, phi } from '@hmi/core';
import { SocialPost } from '@hmi/core/schemas';
import { z } from 'zod';
import { assertNoPhi, DEFAULT_PRIVATE_REPLY, KnownPatient, privateReplyText } from '../privacy/phi-guard.js';
import type { XContext } from '../x-context.js';
import { toSocialPost, WireCreateResponse, WireDeleteResponse, WireTimelinePage, XId } from '../x-model.js';

/** Who may reply to a post (X's `reply_settings`); omitted means everyone. */
export const XReplySettings = z.enum(['following', 'mentionedUsers', 'subscribers', 'verified']);

/** Input of `createPost`. */
export const CreatePostInput = z
  .object({
    /** The text. For a reply in `private-template` mode it is not sent (the template is). */
    text: z.string().trim().min(1).max(25_000).optional(),
    /** Who may reply. Default everyone. */
    replySettings: XReplySettings.optional(),
    /** Answer this post (a mention, a comment). */
    replyToPostId: XId.optional(),
    /**
     * How a reply is written. `private-template` (the default for replies): the configured
     * "please contact us privately" text, whatever `text` says — health matters are never
     * discussed in public. `free-text`: `text` as given, still checked for patient data.
     */
    replyMode: z.enum(['private-template', 'free-text']).optional(),
    /** Language of the private-reply template. Default both (Arabic, then English). */
    language: z.enum(['ar', 'en', 'both']).default('both'),
    /** The patient behind the post being answered: their name, phones and MRNs are refused. */
    knownPatient: KnownPatient.optional(),
    /** More words or phrases the text must not contain (a diagnosis, a ward). */
    avoid: z
      .array(phi(z.string().min(2).max(200)))
      .max(50)
      .default([]),
  })
  .superRefine((input, ctx) => {
    const mode = input.replyMode ?? (input.replyToPostId ? 'private-template' : 'free-text');
    if (mode === 'free-text' && !input.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'text is required' });
    if (input.replyMode === 'private-template' && !input.replyToPostId) {
      ctx.addIssue({ code: 'custom', path: ['replyMode'], message: 'the private-reply template is for replies' });
    }
  });

/** Input of `deletePost`. */
export const DeletePostInput = z.object({ id: XId });

/** Output of `deletePost`. */
export const DeletePostOutput = z.object({
  id: z.string(),
  /** True when X deleted it now; false when X said it was not deleted or no longer exists. */
  deleted: z.boolean(),
  /** X answered 404: the post is gone already (a repeated delete), or was never the account's. */
  notFound: z.boolean().optional(),
});

/**
 * Finds a post created at or after `since` with exactly `text` among the account's latest posts.
 * Used when a create's outcome is unknown (the connection dropped after sending): X has no
 * idempotency key, so the post is looked for instead of sent again.
 */
async function findRecentPost(
  ctx: XContext,
  text: string,
  since: number,
  signal: AbortSignal | undefined,
): Promise<SocialPost | undefined> {
  const userId = await ctx.userId(signal);
  const page = await ctx.http.request({
    path: `/2/users/${userId}/tweets`,
    query: {
      max_results: 20,
      start_time: new Date(since - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      [ctx.config.fieldsParameter]: 'created_at,lang',
    },
    schema: WireTimelinePage,
    operation: 'createPost.reconcile',
    ...(signal && { signal }),
  });
  const found = page.data?.find((post) => post.text.trim() === text.trim());
  return found ? toSocialPost(found, ctx.username()) : undefined;
}

/**
 * Publishes a post or a reply (`POST /2/tweets`). Before any request, the text that would go out
 * is checked against the patient known from the record being answered (`knownPatient`) and the
 * `avoid` terms; a match is a ValidationError naming only the kind of data. Replies default to
 * the private-reply template. X takes no idempotency key, so a create is never repeated after an
 * unknown outcome: the account's latest posts are searched for it, and if it is not there the
 * `outcomeUnknown` error is thrown for a human (X also refuses duplicate text with a 403).
 */
export const createPost = action({
  description: 'Publish a post or reply on X (patient data refused; replies templated by default)',
  idempotent: false,
  input: CreatePostInput,
  output: SocialPost,
  async run(input, ctx: XContext, call) {
    const mode = input.replyMode ?? (input.replyToPostId ? 'private-template' : 'free-text');
    const text =
      mode === 'private-template'
        ? privateReplyText(ctx.config.privateReplyTemplate ?? DEFAULT_PRIVATE_REPLY, input.language)
        : (input.text ?? '');
    assertNoPhi(text, input.knownPatient, input.avoid, ctx.config.defaultRegion);
    const started = ctx.now();
    try {
      const created = await ctx.http.request({
        method: 'POST',
        path: '/2/tweets',
        json: {
          text,
          ...(input.replySettings && { reply_settings: input.replySettings }),
          ...(input.replyToPostId && { reply: { in_reply_to_tweet_id: input.replyToPostId } }),
        },
        schema: WireCreateResponse,
        operation: 'createPost',
        signal: call.signal,
      });
      return {
        ...toSocialPost({ id: created.data.id, text: created.data.text }, ctx.username()),
        publishedAt: new Date(started).toISOString(),
      };
    } catch (error) {
      if (!isHmiError(error) || !(error as HmiError).outcomeUnknown) throw error;
      const found = await findRecentPost(ctx, text, started, call.signal).catch(() => undefined);
      if (found) return found;
      throw error;
    }
  },
});

/**
 * Deletes one of the account's posts (`DELETE /2/tweets/{id}`). Deleting is repeatable, so the
 * core retries it; a 404 (already gone) is reported as `notFound`, not as a failure.
 */
export const deletePost = action({
  description: 'Delete a post of the account',
  idempotent: true,
  input: DeletePostInput,
  output: DeletePostOutput,
  async run(input, ctx: XContext, call) {
    try {
      const response = await ctx.http.request({
        method: 'DELETE',
        path: `/2/tweets/${input.id}`,
        schema: WireDeleteResponse,
        operation: 'deletePost',
        signal: call.signal,
      });
      return { id: input.id, deleted: response.data.deleted };
    } catch (error) {
      if (isHmiError(error) && error.code === 'not_found') return { id: input.id, deleted: false, notFound: true };
      throw error;
    }
  },
});
