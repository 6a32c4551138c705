import type { ConsentEvent, WebhookEvent } from '@hmi/core';
import {
  EVENT_CONSENT,
  EVENT_STATUS,
  type SendGridEventData,
  type SendGridEventKind,
  type SendGridRawEvent,
} from './event-schemas.js';

function kindOf(event: string): SendGridEventKind {
  if (event in EVENT_CONSENT) return 'consent';
  if (event === 'open' || event === 'click') return 'engagement';
  if (event in EVENT_STATUS) return 'status';
  return 'other';
}

/** Maps one verified raw event to a WebhookEvent (`type` = `sendgrid.<event>`, `id` = `sg_event_id`). */
export function mapSendGridEvent(raw: SendGridRawEvent, connector: string): WebhookEvent<SendGridEventData> {
  const occurredAt = new Date(raw.timestamp * 1000).toISOString();
  const kind = kindOf(raw.event);
  const data: SendGridEventData = { kind, event: raw.event, recipient: raw.email, raw };
  if (raw.sg_message_id) {
    data.sgMessageId = raw.sg_message_id;
    data.messageId = raw.sg_message_id.split('.')[0];
  }
  const status = EVENT_STATUS[raw.event];
  if (status) data.status = status;
  if (raw.event === 'open') {
    data.engagement = { type: 'open', ...(raw.sg_machine_open !== undefined && { machineOpen: raw.sg_machine_open }) };
  } else if (raw.event === 'click') {
    data.engagement = { type: 'click', ...(raw.url !== undefined && { url: raw.url }) };
  }
  if (raw.event === 'bounce' || raw.event === 'dropped' || raw.event === 'deferred' || raw.event === 'blocked') {
    data.failure = {
      ...(raw.reason !== undefined && { reason: raw.reason }),
      ...(raw.status !== undefined && { smtpStatus: raw.status }),
      ...(raw.type !== undefined && { bounceType: raw.type }),
      ...(raw.bounce_classification !== undefined && { classification: raw.bounce_classification }),
    };
  }
  if (raw.hmi_purpose) data.purpose = raw.hmi_purpose;
  if (raw.hmi_contact_id) data.contactId = raw.hmi_contact_id;
  if (raw.hmi_send_id) data.sendId = raw.hmi_send_id;
  if (raw.hmi_outbox_id) data.outboxId = raw.hmi_outbox_id;
  if (raw.asm_group_id !== undefined) data.asmGroupId = raw.asm_group_id;
  if (raw.category !== undefined) data.categories = Array.isArray(raw.category) ? raw.category : [raw.category];
  const consent = EVENT_CONSENT[raw.event];
  if (consent) {
    const event: ConsentEvent = {
      ...consent,
      recipient: raw.email,
      channel: 'email',
      occurredAt,
      connector,
      ...(raw.hmi_contact_id && { contactId: raw.hmi_contact_id }),
    };
    data.consent = event;
  }
  return { id: raw.sg_event_id, type: `sendgrid.${raw.event}`, occurredAt, data };
}

/** Maps a batch, keeping the first of any events that share an `sg_event_id`. */
export function mapSendGridEvents(raws: SendGridRawEvent[], connector: string): WebhookEvent<SendGridEventData>[] {
  const seen = new Set<string>();
  const out: WebhookEvent<SendGridEventData>[] = [];
  for (const raw of raws) {
    if (seen.has(raw.sg_event_id)) continue;
    seen.add(raw.sg_event_id);
    out.push(mapSendGridEvent(raw, connector));
  }
  return out;
}
