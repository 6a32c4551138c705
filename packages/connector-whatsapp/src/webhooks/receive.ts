import { createHash } from 'node:crypto';
import { ConfigError, ValidationError, type WebhookEvent, WebhookVerificationError, type WebhookRequest } from '@hmi/core';
import { GRAPH_SIGNATURE_HEADER, verifyGraphSignature } from '@hmi/connector-meta/graph';
import { z } from 'zod';
import type { WhatsAppContext } from '../whatsapp-context.js';

/** The event types `verify` returns (the vendor's items as received, one per message, status or change). */
export const RAW_EVENT = {
  message: 'whatsapp.message',
  status: 'whatsapp.status',
  templateStatus: 'whatsapp.template_status',
  other: 'whatsapp.change',
} as const;

/** What a raw event carries: the change's field, the business number it concerns, and one item. */
export interface RawWhatsAppEvent {
  field: string;
  /** `metadata.phone_number_id` of the change. */
  phoneNumberId?: string;
  /** `metadata.display_phone_number` of the change. */
  displayPhoneNumber?: string;
  item: unknown;
}

const Id = z.union([z.string().max(256), z.number()]).transform(String);
const Envelope = z.object({
  object: z.string().max(64),
  entry: z
    .array(
      z.object({
        id: Id.optional(),
        time: z.number().optional(),
        changes: z
          .array(z.object({ field: z.string().max(64), value: z.unknown() }))
          .max(1000)
          .optional(),
      }),
    )
    .max(1000),
});
const MessagesValue = z.object({
  metadata: z.object({ phone_number_id: Id.optional(), display_phone_number: z.string().max(32).optional() }).optional(),
  messages: z.array(z.unknown()).max(1000).optional(),
  statuses: z.array(z.unknown()).max(1000).optional(),
});
const ItemKeys = z.object({ id: z.string().min(1).max(256), status: z.string().max(32).optional() });
const TemplateKeys = z.object({
  event: z.string().max(64),
  message_template_id: Id,
});

const SAFE = /^[A-Za-z0-9._=+/:-]{1,256}$/;
const safe = (value: string): string | undefined => (SAFE.test(value) ? value : undefined);

/**
 * Verifies a WhatsApp webhook POST: `X-Hub-Signature-256` over the raw bytes with the app secret,
 * in constant time (WebhookVerificationError → 401). Once it verifies, everything in it becomes an
 * event whatever its shape, so nothing authentic is lost: one per inbound message (keyed by its
 * wamid), one per status (wamid + status), one per template status change, one per other change;
 * a body of a shape we do not know is one event keyed by the SHA-256 of its bytes. Mapping is `map`'s.
 */
export function receiveWhatsApp(request: WebhookRequest, ctx: WhatsAppContext): WebhookEvent[] {
  const secret = ctx.config.appSecret;
  if (!secret) throw new ConfigError('set appSecret to receive WhatsApp webhooks', { connector: ctx.connector });
  if (!verifyGraphSignature(request.rawBody, request.headers.get(GRAPH_SIGNATURE_HEADER), secret)) {
    throw new WebhookVerificationError('WhatsApp webhook X-Hub-Signature-256 is not valid', { connector: ctx.connector });
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(request.rawBody).toString('utf8'));
  } catch {
    throw new ValidationError('WhatsApp webhook body is not JSON', {
      connector: ctx.connector,
      issues: [{ path: [], code: 'invalid_json', message: 'not JSON' }],
    });
  }
  const digest = createHash('sha256').update(request.rawBody).digest('hex').slice(0, 32);
  const at = new Date(ctx.now()).toISOString();
  const envelope = Envelope.safeParse(json);
  if (!envelope.success)
    return [{ id: `whatsapp:${digest}`, type: RAW_EVENT.other, occurredAt: at, data: { field: 'unknown', item: json } }];
  const events: WebhookEvent[] = [];
  envelope.data.entry.forEach((entry, e) => {
    (entry.changes ?? []).forEach((change, c) => {
      const fallback = `whatsapp:${digest}:${e}:${c}`;
      if (change.field === 'messages') {
        const value = MessagesValue.safeParse(change.value);
        if (value.success) {
          const meta = {
            ...(value.data.metadata?.phone_number_id && { phoneNumberId: value.data.metadata.phone_number_id }),
            ...(value.data.metadata?.display_phone_number && { displayPhoneNumber: value.data.metadata.display_phone_number }),
          };
          (value.data.messages ?? []).forEach((item, i) => {
            const keys = ItemKeys.safeParse(item);
            const id = keys.success ? safe(keys.data.id) : undefined;
            const data: RawWhatsAppEvent = { field: 'messages', ...meta, item };
            events.push({ id: id ?? `${fallback}:m${i}`, type: RAW_EVENT.message, occurredAt: at, data });
          });
          (value.data.statuses ?? []).forEach((item, i) => {
            const keys = ItemKeys.safeParse(item);
            const id = keys.success ? safe(keys.data.id) : undefined;
            const status =
              keys.success && keys.data.status && /^[a-z_]{1,32}$/.test(keys.data.status) ? keys.data.status : 'unknown';
            const data: RawWhatsAppEvent = { field: 'messages', ...meta, item };
            events.push({ id: id ? `${id}:${status}` : `${fallback}:s${i}`, type: RAW_EVENT.status, occurredAt: at, data });
          });
          return;
        }
      }
      if (change.field === 'message_template_status_update') {
        const keys = TemplateKeys.safeParse(change.value);
        const id = keys.success ? safe(`template:${keys.data.message_template_id}:${keys.data.event}`) : undefined;
        events.push({
          id: id ? `${id}:${digest.slice(0, 12)}` : fallback,
          type: RAW_EVENT.templateStatus,
          occurredAt: at,
          data: { field: change.field, item: change.value } satisfies RawWhatsAppEvent,
        });
        return;
      }
      events.push({ id: fallback, type: RAW_EVENT.other, occurredAt: at, data: { field: change.field, item: change.value } });
    });
  });
  return events;
}
