import { connectorKit, phi, ValidationError } from '@hmi/core';
import { z } from 'zod';
import type { MatomoContext } from '../matomo-context.js';

/** One server-side hit (a page view, or an event when `event` is given). */
export const MatomoHit = z.object({
  /** The page URL; the firewall removes its query, fragment and identifier segments. */
  url: z.string().min(1).max(2048),
  /** The page title (`action_name`); dropped by the firewall unless the policy maps or allows it. */
  actionName: z.string().max(512).optional(),
  referrer: z.string().max(2048).optional(),
  /** Matomo's visitor id (16 hex characters); other values are hashed or dropped by the firewall. */
  visitorId: z.string().max(64).optional(),
  /** Your user id; the firewall replaces it by an HMAC with the host secret, or drops it. */
  userId: phi(z.string().min(1).max(256)).optional(),
  event: z
    .object({
      category: z.string().min(1).max(256),
      action: z.string().min(1).max(256),
      name: z.string().max(256).optional(),
      value: z.number().optional(),
    })
    .optional(),
  campaignName: z.string().max(256).optional(),
  /** Custom dimensions by id (`{ 1: 'cardiology' }`). */
  dimensions: z.record(z.string().regex(/^\d{1,3}$/), z.string().max(255)).optional(),
  /** When the hit happened (ms since the epoch); older than 24 h needs a token with write access. */
  timestamp: z.number().int().positive().optional(),
});
/** One hit. */
export type MatomoHit = z.infer<typeof MatomoHit>;

/** Input of `trackHits`: up to 100 hits sent as one bulk request. */
export const TrackHitsInput = z.object({ hits: z.array(MatomoHit).min(1).max(100) });
/** Input of `trackHits`. */
export type TrackHitsInput = z.input<typeof TrackHitsInput>;

/** What `trackHits` did: counts only. */
export const TrackHitsResult = z.object({
  sent: z.boolean(),
  mode: z.enum(['enforce', 'report']),
  tracked: z.number().int(),
  invalid: z.number().int(),
  removed: z.record(z.string(), z.number()),
  total: z.number().int(),
});
/** What `trackHits` did. */
export type TrackHitsResult = z.infer<typeof TrackHitsResult>;

const BulkAnswer = z.object({ status: z.string(), tracked: z.number().int().optional(), invalid: z.number().int().optional() });

/** Matomo's tracking parameters for a hit (before the firewall). */
function toParams(hit: MatomoHit, siteId: number, index: number): Record<string, string | number> {
  return {
    idsite: siteId,
    rec: 1,
    apiv: 1,
    url: hit.url,
    ...(hit.actionName !== undefined && { action_name: hit.actionName }),
    ...(hit.referrer !== undefined && { urlref: hit.referrer }),
    ...(hit.visitorId !== undefined && { _id: hit.visitorId }),
    ...(hit.userId !== undefined && { uid: hit.userId }),
    ...(hit.event && {
      e_c: hit.event.category,
      e_a: hit.event.action,
      ...(hit.event.name !== undefined && { e_n: hit.event.name }),
      ...(hit.event.value !== undefined && { e_v: hit.event.value }),
    }),
    ...(hit.campaignName !== undefined && { _rcn: hit.campaignName }),
    ...Object.fromEntries(Object.entries(hit.dimensions ?? {}).map(([id, value]) => [`dimension${id}`, value])),
    ...(hit.timestamp !== undefined && { cdt: Math.floor(hit.timestamp / 1000) }),
    // Cache buster, as the JavaScript tracker sends; deterministic per batch position.
    rand: index,
  };
}

const { action } = connectorKit<MatomoContext>();

/**
 * Sends hits with the Tracking HTTP API's bulk form (`POST /matomo.php`, JSON
 * `{ requests: ["?idsite=…&rec=1&…"], token_auth }`), every hit through the PHI firewall first.
 * `cip` (the visitor IP) and location parameters are never sent. Matomo does not deduplicate
 * hits, so a failed send is not retried unless Matomo refused it outright; otherwise the error
 * says `outcomeUnknown`. In the firewall's `report` mode nothing is sent.
 */
export const trackHits = action({
  description: 'Send server-side hits to Matomo (bulk tracking) through the PHI firewall',
  idempotent: false,
  input: TrackHitsInput,
  output: TrackHitsResult,
  async run(input, ctx, call) {
    const params = input.hits.map((hit, i) => toParams(hit, ctx.config.siteId, i));
    const verdict = ctx.firewall.apply(params, { telemetry: ctx.telemetry, connector: 'matomo', operation: 'trackHits' });
    const summary = { mode: verdict.mode, removed: verdict.removed, total: verdict.total };
    if (!verdict.forward) return { sent: false, tracked: 0, invalid: 0, ...summary };
    const cleaned = verdict.event as Array<Record<string, string | number>>;
    const missing = cleaned.findIndex((p) => typeof p.url !== 'string');
    if (missing >= 0) {
      throw new ValidationError('a hit has no URL left after the firewall', {
        issues: [{ path: ['hits', missing, 'url'], code: 'removed_by_firewall', message: 'the URL was removed' }],
      });
    }
    const requests = cleaned.map((p) => `?${new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)])).toString()}`);
    const answer = await ctx.http.request({
      method: 'POST',
      path: '/matomo.php',
      json: { requests, ...(ctx.config.tokenAuth && { token_auth: ctx.config.tokenAuth }) },
      schema: BulkAnswer,
      operation: 'trackHits',
      signal: call.signal,
    });
    return { sent: true, tracked: answer.tracked ?? 0, invalid: answer.invalid ?? 0, ...summary };
  },
});
