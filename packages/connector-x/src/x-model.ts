// Two kinds of schema: X's wire shapes (validated on every response before use, unknown fields
// tolerated) and the canonical records the connector hands to hosts (SocialPost, EngagementMetric,
// Message), whose PHI marks come from @hmi/core.
import type { Message } from '@hmi/core';
import { EngagementMetric, SocialPost } from '@hmi/core/schemas';
import { z } from 'zod';

/** A post or user id: a decimal snowflake of up to 19 digits. */
export const XId = z.string().regex(/^[0-9]{1,19}$/, 'expected a numeric X id');

/**
 * Public metrics as X sends them. The published spec names reposts `repost_count`; the API still
 * answers `retweet_count` on many accounts, so both are read.
 */
export const WirePublicMetrics = z.object({
  like_count: z.number().int().nonnegative().optional(),
  reply_count: z.number().int().nonnegative().optional(),
  quote_count: z.number().int().nonnegative().optional(),
  repost_count: z.number().int().nonnegative().optional(),
  retweet_count: z.number().int().nonnegative().optional(),
  bookmark_count: z.number().int().nonnegative().optional(),
  impression_count: z.number().int().nonnegative().optional(),
});

/** A post as X returns it (the fields the connector asks for). */
export const WirePost = z.object({
  id: XId,
  text: z.string(),
  created_at: z.string().optional(),
  lang: z.string().max(35).optional(),
  author_id: z.string().optional(),
  conversation_id: z.string().optional(),
  in_reply_to_user_id: z.string().optional(),
  public_metrics: WirePublicMetrics.optional(),
});
/** A post as X returns it. */
export type WirePost = z.infer<typeof WirePost>;

/** A user as X returns it in `includes.users` and `/2/users/me`. */
export const WireUser = z.object({ id: XId, username: z.string().max(64).optional(), name: z.string().optional() });

/** A page of `/2/users/{id}/tweets` or `/2/users/{id}/mentions`. */
export const WireTimelinePage = z.object({
  data: z.array(WirePost).max(1000).optional(),
  includes: z.object({ users: z.array(WireUser).max(1000).optional() }).optional(),
  meta: z
    .object({
      result_count: z.number().int().optional(),
      next_token: z.string().min(1).max(512).optional(),
      newest_id: z.string().optional(),
      oldest_id: z.string().optional(),
    })
    .optional(),
});
/** A timeline page. */
export type WireTimelinePage = z.infer<typeof WireTimelinePage>;

/** `POST /2/tweets` → 201. */
export const WireCreateResponse = z.object({ data: z.object({ id: XId, text: z.string() }) });
/** `DELETE /2/tweets/{id}` → 200. */
export const WireDeleteResponse = z.object({ data: z.object({ deleted: z.boolean() }) });
/** `GET /2/users/me`. */
export const WireMeResponse = z.object({ data: WireUser });

/** A post of the account with its public metrics at the time of the read. */
export const XPostRecord = z.object({
  post: SocialPost,
  metrics: z.array(EngagementMetric),
});
/** A post with its metrics. */
export type XPostRecord = z.infer<typeof XPostRecord>;

const METRIC_NAMES: ReadonlyArray<[keyof z.infer<typeof WirePublicMetrics>, string]> = [
  ['like_count', 'likes'],
  ['reply_count', 'replies'],
  ['quote_count', 'quotes'],
  ['repost_count', 'reposts'],
  ['retweet_count', 'reposts'],
  ['bookmark_count', 'bookmarks'],
  ['impression_count', 'impressions'],
];

/** The post's public URL. `x.com/i/web/status/<id>` works without knowing the handle. */
export function postUrl(id: string, username?: string): string {
  return username ? `https://x.com/${encodeURIComponent(username)}/status/${id}` : `https://x.com/i/web/status/${id}`;
}

/** Maps an X post to the canonical SocialPost. `und`/`zxx` (no language) are left out. */
export function toSocialPost(wire: Pick<WirePost, 'id' | 'text' | 'created_at' | 'lang'>, username?: string): SocialPost {
  return {
    id: wire.id,
    source: { system: 'x', id: wire.id },
    platform: 'x',
    text: wire.text,
    ...(wire.lang && wire.lang !== 'und' && wire.lang !== 'zxx' && { language: wire.lang }),
    url: postUrl(wire.id, username),
    status: 'published',
    ...(wire.created_at && { publishedAt: wire.created_at }),
  };
}

/** One EngagementMetric per public metric X reported, measured at `measuredAt` (ISO). */
export function toEngagementMetrics(wire: WirePost, measuredAt: string): EngagementMetric[] {
  const metrics = wire.public_metrics;
  if (!metrics) return [];
  const out: EngagementMetric[] = [];
  const seen = new Set<string>();
  for (const [field, metric] of METRIC_NAMES) {
    const value = metrics[field];
    if (value === undefined || seen.has(metric)) continue;
    seen.add(metric);
    out.push({
      subjectId: wire.id,
      subjectType: 'post',
      metric,
      value,
      ...(wire.created_at && { periodStart: wire.created_at }),
      periodEnd: measuredAt,
      source: { system: 'x', id: wire.id },
    });
  }
  return out;
}

/**
 * Maps a mention to an inbound Message on the `social` channel. The text is patient-authored
 * (marked PHI by the Message schema); `from` is the author's public handle.
 */
export function toMentionMessage(wire: WirePost, account: string, authors: Map<string, string>): Message {
  const handle = wire.author_id ? authors.get(wire.author_id) : undefined;
  return {
    id: wire.id,
    source: { system: 'x', id: wire.id },
    channel: 'social',
    direction: 'inbound',
    to: account,
    ...((handle || wire.author_id) && { from: handle ? `@${handle}` : `x:${wire.author_id}` }),
    body: wire.text,
    status: 'received',
    ...(wire.created_at && { createdAt: wire.created_at }),
  };
}

/** Whether snowflake `a` is newer than `b` (ids are compared as integers, not strings). */
export function newerId(a: string, b: string | null | undefined): boolean {
  return b === null || b === undefined || BigInt(a) > BigInt(b);
}
