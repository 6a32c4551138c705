import { type CallRecord, type Message, type MessageStatus, phi } from '@hmi/core';
import * as v from 'valibot';

// The canonical Message and CallRecord as valibot schemas, for the actions' and streams' `output`
// and `record`. The core's zod model (`@hmi/core/schemas`) stays the reference: a differential
// test checks every record the connector produces against it, so the two cannot drift. PHI marks
// sit on the same fields as in the model, so the core redacts the same values.

const Source = v.object({ system: v.string(), id: v.string() });
const IsoDateTime = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time'),
);

const MESSAGE_STATUSES = [
  'scheduled',
  'queued',
  'accepted',
  'sending',
  'sent',
  'delivered',
  'read',
  'opened',
  'clicked',
  'undelivered',
  'failed',
  'bounced',
  'dropped',
  'deferred',
  'spam-reported',
  'received',
  'canceled',
] as const satisfies readonly MessageStatus[];

/** The canonical Message (an SMS or email with its delivery status), as the connector outputs it. */
export const MessageSchema = v.object({
  id: v.string(),
  source: v.optional(Source),
  channel: v.picklist(['sms', 'email', 'whatsapp', 'voice', 'social']),
  direction: v.picklist(['outbound', 'inbound']),
  purpose: v.optional(v.picklist(['transactional', 'marketing'])),
  to: phi(v.pipe(v.string(), v.minLength(1))),
  from: v.optional(v.string()),
  subject: v.optional(phi(v.string())),
  body: v.optional(phi(v.string())),
  status: v.picklist(MESSAGE_STATUSES),
  contactId: v.optional(v.string()),
  segments: v.optional(
    v.object({
      encoding: v.picklist(['GSM-7', 'UCS-2']),
      segments: v.pipe(v.number(), v.integer()),
      units: v.pipe(v.number(), v.integer()),
    }),
  ),
  errorCode: v.optional(v.string()),
  createdAt: v.optional(IsoDateTime),
  updatedAt: v.optional(IsoDateTime),
}) satisfies v.GenericSchema<Message>;

const nonNegative = () => v.pipe(v.number(), v.finite(), v.minValue(0));

/** The canonical CallRecord (a phone call), as the connector outputs it. */
export const CallRecordSchema = v.object({
  id: v.string(),
  source: v.optional(Source),
  direction: v.picklist(['inbound', 'outbound', 'internal']),
  from: phi(v.string()),
  to: phi(v.string()),
  status: v.picklist(['ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled']),
  startedAt: v.optional(IsoDateTime),
  answeredAt: v.optional(IsoDateTime),
  endedAt: v.optional(IsoDateTime),
  durationSec: v.optional(nonNegative()),
  ringSec: v.optional(nonNegative()),
  hangupCause: v.optional(
    v.object({
      code: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(127)),
      name: v.pipe(v.string(), v.maxLength(64)),
    }),
  ),
  recordingUrl: v.optional(phi(v.string())),
  recordingConsent: v.optional(v.boolean()),
  contactId: v.optional(v.string()),
  agent: v.optional(v.string()),
  campaignId: v.optional(v.string()),
  trackingNumber: v.optional(v.string()),
}) satisfies v.GenericSchema<CallRecord>;
