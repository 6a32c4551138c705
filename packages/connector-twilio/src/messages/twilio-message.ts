import { type Message, type MessageStatus, ValidationError } from '@hmi/core';
import * as v from 'valibot';
import { pattern, noArrays } from '../schema-kit.js';
import { countSmsSegments } from '../sms/segments.js';

/** Every Message status Twilio documents (`message_enum_status` in the v2010 spec). */
export const TwilioMessageStatus = v.picklist([
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
]);
/** A Twilio Message status. */
export type TwilioMessageStatus = v.InferOutput<typeof TwilioMessageStatus>;

const RfcDate = v.nullish(
  v.pipe(
    v.string(),
    v.check((s) => !Number.isNaN(Date.parse(s)), 'expected an RFC 2822 date'),
  ),
);
const nullishString = () => v.nullish(v.string());

/** The fields of Twilio's Message resource the connector reads, validated before use. */
export const TwilioMessageResource = noArrays(
  v.object({
    sid: pattern(/^(SM|MM)[0-9a-fA-F]{32}$/),
    account_sid: nullishString(),
    messaging_service_sid: nullishString(),
    body: nullishString(),
    to: nullishString(),
    from: nullishString(),
    status: TwilioMessageStatus,
    direction: v.picklist(['inbound', 'outbound-api', 'outbound-call', 'outbound-reply']),
    error_code: v.nullish(v.pipe(v.number(), v.integer())),
    num_segments: nullishString(),
    date_created: RfcDate,
    date_updated: RfcDate,
    date_sent: RfcDate,
  }),
);
/** A Twilio Message resource. */
export type TwilioMessageResource = v.InferOutput<typeof TwilioMessageResource>;

/** One page of `GET …/Messages.json`. */
export const TwilioMessagePage = noArrays(
  v.object({
    messages: v.array(TwilioMessageResource),
    next_page_uri: nullishString(),
    page: v.optional(v.pipe(v.number(), v.integer())),
    page_size: v.optional(v.pipe(v.number(), v.integer())),
  }),
);
/** One page of the Messages list. */
export type TwilioMessagePage = v.InferOutput<typeof TwilioMessagePage>;

const STATUS_MAP: Readonly<Record<TwilioMessageStatus, MessageStatus>> = {
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  failed: 'failed',
  delivered: 'delivered',
  undelivered: 'undelivered',
  receiving: 'received',
  received: 'received',
  accepted: 'accepted',
  scheduled: 'scheduled',
  read: 'read',
  // Group MMS reached some recipients only; "sent" claims no more than is known.
  partially_delivered: 'sent',
  canceled: 'canceled',
};

/** Maps a Twilio status to the canonical {@link MessageStatus}; `partially_delivered` becomes `sent`. */
export function toMessageStatus(status: TwilioMessageStatus): MessageStatus {
  return STATUS_MAP[status];
}

function toIso(date: string | null | undefined): string | undefined {
  if (!date) return undefined;
  return new Date(Date.parse(date)).toISOString();
}

/** Splits `whatsapp:+966…` into channel and address; plain numbers are SMS. */
export function splitAddress(address: string): { channel: 'sms' | 'whatsapp'; address: string } {
  return address.startsWith('whatsapp:')
    ? { channel: 'whatsapp', address: address.slice('whatsapp:'.length) }
    : { channel: 'sms', address };
}

/**
 * Maps a validated Twilio Message resource to the canonical Message. `segments` is counted from
 * the body here (not Twilio's `num_segments`, which is `0` for scheduled messages), so sent, read
 * and listed messages carry the same figure.
 */
export function toCanonicalMessage(resource: TwilioMessageResource, extra: Partial<Message> = {}): Message {
  if (!resource.to) {
    throw new ValidationError('Twilio message has no recipient', {
      code: 'invalid_response',
      issues: [{ path: ['to'], code: 'invalid_type', message: 'expected string' }],
    });
  }
  const { channel, address: to } = splitAddress(resource.to);
  const message: Message = {
    id: resource.sid,
    source: { system: 'twilio', id: resource.sid },
    channel,
    direction: resource.direction === 'inbound' ? 'inbound' : 'outbound',
    to,
    status: toMessageStatus(resource.status),
  };
  if (resource.from) message.from = splitAddress(resource.from).address;
  if (typeof resource.body === 'string') {
    message.body = resource.body;
    if (resource.body.length > 0) message.segments = countSmsSegments(resource.body);
  }
  if (resource.error_code !== null && resource.error_code !== undefined) message.errorCode = String(resource.error_code);
  const createdAt = toIso(resource.date_created);
  if (createdAt) message.createdAt = createdAt;
  const updatedAt = toIso(resource.date_updated);
  if (updatedAt) message.updatedAt = updatedAt;
  return { ...message, ...extra };
}
