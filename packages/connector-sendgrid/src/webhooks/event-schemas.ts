import { type ConsentEvent, type MessageStatus, phi } from '@hmi/core';
import { z } from 'zod';

/**
 * One Event Webhook event as SendGrid posts it. Only the fields hmi reads are checked; the rest
 * (and the caller's custom args, which SendGrid puts at the top level) pass through.
 */
export const SendGridRawEvent = z
  .object({
    event: z.string().min(1).max(64),
    email: phi(z.string().min(1).max(320)),
    timestamp: z.number().int().nonnegative().max(253_402_300_799),
    sg_event_id: z.string().min(1).max(200),
    sg_message_id: z.string().min(1).max(300).optional(),
    category: z.union([z.string(), z.array(z.string())]).optional(),
    asm_group_id: z.number().int().optional(),
    reason: phi(z.string()).optional(),
    status: z.string().optional(),
    type: z.string().optional(),
    bounce_classification: z.string().optional(),
    response: phi(z.string()).optional(),
    attempt: z.union([z.string(), z.number()]).optional(),
    url: phi(z.string()).optional(),
    useragent: z.string().optional(),
    ip: z.string().optional(),
    sg_machine_open: z.boolean().optional(),
    hmi_purpose: z.enum(['transactional', 'marketing']).optional(),
    hmi_contact_id: z.string().optional(),
    hmi_send_id: z.string().optional(),
    hmi_outbox_id: z.string().optional(),
  })
  .passthrough();
/** One raw Event Webhook event. */
export type SendGridRawEvent = z.infer<typeof SendGridRawEvent>;

/** The body of an Event Webhook request: a JSON array of events. */
export const SendGridEventBatch = z.array(SendGridRawEvent).max(10_000);

/** What an event means for the CRM. */
export type SendGridEventKind = 'status' | 'engagement' | 'consent' | 'other';

/** The `data` of a WebhookEvent from the SendGrid Event Webhook. */
export interface SendGridEventData {
  kind: SendGridEventKind;
  /** SendGrid's event name: `delivered`, `bounce`, `group_unsubscribe`, … */
  event: string;
  /** The `X-Message-Id` that `sendEmail` returned (the part of `sg_message_id` before the first dot). */
  messageId?: string;
  /** SendGrid's full per-recipient message id. */
  sgMessageId?: string;
  /** The recipient's address (PHI). */
  recipient: string;
  /** The canonical status this event moves the message to (status, engagement and spam reports). */
  status?: MessageStatus;
  /** For opens and clicks. */
  engagement?: { type: 'open' | 'click'; url?: string; machineOpen?: boolean };
  /** For unsubscribes, group (re)subscribes and spam reports: the consent change, also sent to the gate's `emit`. */
  consent?: ConsentEvent;
  /** Bounce and drop details. */
  failure?: { reason?: string; smtpStatus?: string; bounceType?: string; classification?: string };
  /** From `custom_args`, when the email was sent by hmi. */
  purpose?: 'transactional' | 'marketing';
  contactId?: string;
  sendId?: string;
  /** The outbox item the email was sent for (`custom_args.hmi_outbox_id`). */
  outboxId?: string;
  asmGroupId?: number;
  categories?: string[];
  /** The event exactly as SendGrid sent it (PHI). */
  raw: SendGridRawEvent;
}

/** SendGrid event → canonical Message status. */
export const EVENT_STATUS: Readonly<Record<string, MessageStatus>> = {
  processed: 'sending',
  deferred: 'deferred',
  delivered: 'delivered',
  bounce: 'bounced',
  blocked: 'bounced',
  dropped: 'dropped',
  open: 'opened',
  click: 'clicked',
  spamreport: 'spam-reported',
};

/** SendGrid event → consent change: type, purposes affected and source. */
export const EVENT_CONSENT: Readonly<
  Record<string, { type: ConsentEvent['type']; purpose: ConsentEvent['purpose']; source: string }>
> = {
  // A global unsubscribe stops commercial email; transactional email is not covered by CAN-SPAM opt-outs.
  unsubscribe: { type: 'consent.revoked', purpose: 'marketing', source: 'email-unsubscribe' },
  group_unsubscribe: { type: 'consent.revoked', purpose: 'marketing', source: 'email-group-unsubscribe' },
  group_resubscribe: { type: 'consent.granted', purpose: 'marketing', source: 'email-group-resubscribe' },
  // SendGrid suppresses every later email to a spam reporter, so record it as revoking everything.
  spamreport: { type: 'consent.revoked', purpose: 'all', source: 'spam-report' },
};
