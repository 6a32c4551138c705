import { createHash } from 'node:crypto';
import { ConfigError, type WebhookEvent, WebhookVerificationError, webhook } from '@hmi/core';
import { z } from 'zod';
import { answerGraphHandshake } from '../graph/handshake.js';
import { GRAPH_SIGNATURE_HEADER, verifyGraphSignature } from '../graph/signature.js';
import type { MetaContext } from '../meta-context.js';

/** What a `leadgen` change carries: ids only, the answers are read with `getLead`. */
export const LeadgenChange = z.object({
  leadgen_id: z.union([z.string(), z.number()]).transform(String),
  form_id: z.union([z.string(), z.number()]).transform(String).optional(),
  page_id: z.union([z.string(), z.number()]).transform(String).optional(),
  ad_id: z.union([z.string(), z.number()]).transform(String).optional(),
  adgroup_id: z.union([z.string(), z.number()]).transform(String).optional(),
  created_time: z.number().optional(),
});

/** The data of a `leadgen` event: which lead to read. */
export interface LeadgenEventData {
  leadId: string;
  formId?: string;
  pageId?: string;
  adId?: string;
}

const Envelope = z.object({
  object: z.string().max(64),
  entry: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]).transform(String),
        time: z.number().optional(),
        changes: z
          .array(z.object({ field: z.string().max(64), value: z.unknown() }))
          .max(1000)
          .optional(),
      }),
    )
    .max(1000),
});

function iso(seconds: number | undefined): string | undefined {
  return seconds !== undefined && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined;
}

/**
 * Meta's webhook (Page subscription: `leadgen`, `feed`, …). GET `hub.mode=subscribe` is the
 * subscription handshake, answered without host code. A POST is verified first: `X-Hub-Signature-256`
 * over the raw bytes with the app secret, constant time (WebhookVerificationError → 401). Once it
 * verifies, every change becomes an event whatever its shape (a body that is not JSON, or not
 * Meta's envelope, is one `meta.unknown` event): `leadgen` changes carry the lead id
 * (read it with `getLead`); other fields carry Meta's value for the host to map (or dead-letter).
 */
export const graphEvents = webhook<MetaContext>({
  description: 'Meta Page webhooks (leadgen, feed), X-Hub-Signature-256, with the GET subscription handshake',
  handshake(request, ctx) {
    return answerGraphHandshake(request, ctx.config.verifyToken);
  },
  async verify(request, ctx): Promise<WebhookEvent[]> {
    const secret = ctx.config.appSecret;
    if (!secret) throw new ConfigError('set appSecret to receive Meta webhooks', { connector: 'meta' });
    if (!verifyGraphSignature(request.rawBody, request.headers.get(GRAPH_SIGNATURE_HEADER), secret)) {
      throw new WebhookVerificationError('Meta webhook X-Hub-Signature-256 is not valid');
    }
    const digest = createHash('sha256').update(request.rawBody).digest('hex').slice(0, 32);
    const text = Buffer.from(request.rawBody).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Signed by Meta but not JSON: stored as received (nothing signed is lost), for a person to read.
      return [{ id: `meta:${digest}`, type: 'meta.unknown', data: { text } }];
    }
    const envelope = Envelope.safeParse(json);
    // Signed but of a shape we do not know: stored as-is, so nothing Meta sent is lost.
    if (!envelope.success) return [{ id: `meta:${digest}`, type: 'meta.unknown', data: json }];
    const events: WebhookEvent[] = [];
    envelope.data.entry.forEach((entry, e) => {
      (entry.changes ?? []).forEach((change, c) => {
        const occurredAt = iso(entry.time);
        const lead = change.field === 'leadgen' ? LeadgenChange.safeParse(change.value) : undefined;
        if (lead?.success) {
          const v = lead.data;
          const data: LeadgenEventData = {
            leadId: v.leadgen_id,
            ...(v.form_id && { formId: v.form_id }),
            ...((v.page_id ?? entry.id) && { pageId: v.page_id ?? entry.id }),
            ...(v.ad_id && { adId: v.ad_id }),
          };
          // The lead id is Meta's: a redelivery deduplicates downstream.
          events.push({ id: `leadgen:${v.leadgen_id}`, type: 'leadgen', ...(occurredAt && { occurredAt }), data });
          return;
        }
        events.push({
          id: `${envelope.data.object}:${digest}:${e}:${c}`,
          type: `${envelope.data.object}.${change.field}`,
          ...(occurredAt && { occurredAt }),
          data: { entryId: entry.id, value: change.value },
        });
      });
    });
    return events;
  },
});
