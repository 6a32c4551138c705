import { action, ConfigError, ValidationError } from '@hmi/core';
import { SocialPost } from '@hmi/core/schemas';
import { z } from 'zod';
import type { MetaContext } from '../meta-context.js';
import { assertNoPatientData, KnownPatient } from './privacy.js';

const Id = z.object({ id: z.string().min(1).max(128), post_id: z.string().max(128).optional() });

/** Input of `publishPost`. */
export const PublishPostInput = z
  .object({
    /** `facebook` (the Page) or `instagram` (the linked business account; needs a photo). */
    platform: z.enum(['facebook', 'instagram']).default('facebook'),
    text: z.string().max(63_206).optional(),
    /** A link to share (Facebook only). */
    link: z.string().url().max(2048).optional(),
    /** A public https URL of the photo. */
    photoUrl: z.string().url().max(2048).optional(),
    /** Publish later (Facebook only; Meta accepts 10 minutes to 30 days ahead). ISO 8601. */
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
    /** The patient this post is about, if any: a text naming them is refused before any request. */
    knownPatient: KnownPatient.optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.text && !input.link && !input.photoUrl)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'a post needs text, a link or a photo' });
    if (input.platform === 'instagram' && !input.photoUrl)
      ctx.addIssue({ code: 'custom', path: ['photoUrl'], message: 'Instagram posts need a photo' });
    if (input.platform === 'instagram' && input.scheduledAt)
      ctx.addIssue({ code: 'custom', path: ['scheduledAt'], message: 'Instagram posts cannot be scheduled through the API' });
    if (input.link && input.photoUrl)
      ctx.addIssue({ code: 'custom', path: ['link'], message: 'a post carries a link or a photo, not both' });
    if (input.photoUrl && !input.photoUrl.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['photoUrl'], message: 'expected an https URL' });
  });

function need(value: string | undefined, field: string): string {
  if (!value) throw new ConfigError(`set ${field} to publish there`, { connector: 'meta' });
  return value;
}

/**
 * Publishes or schedules a post: Facebook `POST /<page>/feed` (text, link) or `/<page>/photos`,
 * Instagram `POST /<ig user>/media` then `/media_publish`. The text is checked against the known
 * patient first: social platforms are outside any business-associate agreement. Graph takes no
 * idempotency key, so the core never repeats a publish whose outcome is unknown.
 */
export const publishPost = action({
  description: 'Publish or schedule a Page or Instagram post (text, link, photo)',
  idempotent: false,
  input: PublishPostInput,
  output: SocialPost,
  async run(input, ctx: MetaContext, call): Promise<SocialPost> {
    assertNoPatientData(input.text, input.knownPatient);
    const scheduled = input.scheduledAt ? Math.floor(Date.parse(input.scheduledAt) / 1000) : undefined;
    if (scheduled !== undefined) {
      const now = Math.floor((ctx.config.now?.() ?? Date.now()) / 1000);
      if (scheduled < now + 600 || scheduled > now + 30 * 86_400) {
        throw new ValidationError('scheduledAt must be 10 minutes to 30 days ahead', {
          issues: [{ path: ['scheduledAt'], code: 'out_of_range', message: '10 minutes to 30 days ahead' }],
        });
      }
    }
    const common = { schema: Id, operation: 'publishPost', signal: call.signal, method: 'POST' as const };
    if (input.platform === 'instagram') {
      const ig = need(ctx.config.instagramAccountId, 'instagramAccountId');
      const container = await ctx.http.request({
        ...common,
        path: `${ig}/media`,
        json: { image_url: input.photoUrl, ...(input.text && { caption: input.text }) },
      });
      const media = await ctx.http.request({ ...common, path: `${ig}/media_publish`, json: { creation_id: container.id } });
      return {
        id: media.id,
        source: { system: 'meta', id: media.id },
        platform: 'instagram',
        ...(input.text && { text: input.text }),
        status: 'published',
      };
    }
    const page = need(ctx.config.pageId, 'pageId');
    const timing = scheduled !== undefined ? { published: false, scheduled_publish_time: scheduled } : {};
    const created = input.photoUrl
      ? await ctx.http.request({
          ...common,
          path: `${page}/photos`,
          json: { url: input.photoUrl, ...(input.text && { message: input.text }), ...timing },
        })
      : await ctx.http.request({
          ...common,
          path: `${page}/feed`,
          json: { ...(input.text && { message: input.text }), ...(input.link && { link: input.link }), ...timing },
        });
    const id = created.post_id ?? created.id;
    return {
      id,
      source: { system: 'meta', id },
      platform: 'facebook',
      ...(input.text && { text: input.text }),
      ...(input.link && { url: input.link }),
      status: scheduled !== undefined ? 'scheduled' : 'published',
      ...(input.scheduledAt && { scheduledAt: new Date(input.scheduledAt).toISOString() }),
    };
  },
});

/** Input of `deletePost`. */
export const DeletePostInput = z.object({ postId: z.string().regex(/^[\d_]{1,80}$/, 'expected a Graph post id') });

/**
 * Deletes a Page post (`DELETE /<post id>`). Deleting twice changes nothing: Graph's "does not
 * exist" (100/33) on a repeat is answered `{ deleted: true, alreadyGone: true }`.
 */
export const deletePost = action({
  description: 'Delete a post',
  idempotent: true,
  input: DeletePostInput,
  output: z.object({ deleted: z.boolean(), alreadyGone: z.boolean().optional() }),
  async run(input, ctx: MetaContext, call) {
    try {
      const result = await ctx.http.request({
        method: 'DELETE',
        path: input.postId,
        schema: z.object({ success: z.boolean() }),
        operation: 'deletePost',
        signal: call.signal,
      });
      return { deleted: result.success };
    } catch (error) {
      // 100/33: the object does not exist (any more). A repeated delete has then already happened.
      if (ValidationError.isInstance(error) && error.vendorCode === '100/33') return { deleted: true, alreadyGone: true };
      throw error;
    }
  },
});
