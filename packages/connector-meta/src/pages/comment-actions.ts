import { action } from '@hmi/core';
import { z } from 'zod';
import type { MetaContext } from '../meta-context.js';
import { assertNoPatientData, KnownPatient } from './privacy.js';

/** Input of `replyToComment`. */
export const ReplyToCommentInput = z.object({
  commentId: z.string().regex(/^[\d_]{1,80}$/, 'expected a Graph comment id'),
  /** The reply's language; picks the template. */
  language: z.enum(['ar', 'en']).default('ar'),
  /**
   * Whether the comment is about a health matter. Default true (fail safe): the reply is the
   * "please contact us privately" template, whatever `text` says, unless `overrideTemplate`.
   */
  healthMatter: z.boolean().default(true),
  /** A custom reply. Used on health matters only with `overrideTemplate: true`. */
  text: z.string().min(1).max(8000).optional(),
  /** The host's per-call decision to send `text` on a health matter. */
  overrideTemplate: z.boolean().default(false),
  /** The patient the comment is from or about: a reply naming them is refused before any request. */
  knownPatient: KnownPatient.optional(),
});

/** What `replyToComment` sent. */
export const ReplyResult = z.object({
  id: z.string(),
  /** Whether the private-contact template went out instead of custom text. */
  templated: z.boolean(),
});

/**
 * Replies to a Page comment (`POST /<comment id>/comments`). On a health matter (the default) the
 * reply is the configured "please contact us privately" template in Arabic or English, unless the
 * host overrides per call; any reply naming the known patient is refused before any request.
 * Graph takes no idempotency key, so an unknown outcome is not repeated by the core.
 */
export const replyToComment = action({
  description: 'Reply to a comment (templated private-contact reply on health matters)',
  idempotent: false,
  input: ReplyToCommentInput,
  output: ReplyResult,
  async run(input, ctx: MetaContext, call) {
    const templated = !input.text || (input.healthMatter && !input.overrideTemplate);
    const message = templated ? ctx.config.privateReplyTemplate[input.language] : (input.text as string);
    assertNoPatientData(message, input.knownPatient);
    const created = await ctx.http.request({
      method: 'POST',
      path: `${input.commentId}/comments`,
      json: { message },
      schema: z.object({ id: z.string().min(1).max(128) }),
      operation: 'replyToComment',
      signal: call.signal,
    });
    return { id: created.id, templated };
  },
});
