import { phi } from '@hmi/core';
import { Message } from '@hmi/core/schemas';
import { z } from 'zod';
import { SendGridSender } from '../sendgrid-config.js';
import { EmailAddress } from './email-address.js';

/** SendGrid's limit of personalizations (envelopes) in one mail/send request. */
export const MAX_PERSONALIZATIONS = 1000;
/** The most recipients one `sendEmail` call takes (split into requests of {@link MAX_PERSONALIZATIONS}). */
export const MAX_RECIPIENTS = 100_000;
/** The `custom_args` keys hmi adds to every personalization so events can be correlated. */
export const HMI_CUSTOM_ARGS = {
  purpose: 'hmi_purpose',
  contactId: 'hmi_contact_id',
  sendId: 'hmi_send_id',
  outboxId: 'hmi_outbox_id',
} as const;

/** Template data for SendGrid dynamic (`d-…`) templates: JSON values, often patient data. */
const TemplateData = phi(z.record(z.string(), z.unknown()));

/** One recipient: an address, or an address with a name, the CRM contact id and per-recipient template data. */
export const EmailRecipient = z.union([
  EmailAddress,
  z.object({
    email: EmailAddress,
    name: phi(z.string().min(1).max(256)).optional(),
    /** The CRM contact id; sent in `custom_args` and given to the consent check. */
    contactId: z.string().min(1).max(200).optional(),
    /** Merged over the call's `dynamicTemplateData` for this recipient only. */
    dynamicTemplateData: TemplateData.optional(),
  }),
]);
/** One recipient. */
export type EmailRecipient = z.input<typeof EmailRecipient>;

const CustomArgKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
  .refine((k) => !k.startsWith('hmi_'), 'the hmi_ prefix is reserved');

/** The input of `sendEmail`. */
export const SendEmailInput = z.object({
  /** One recipient or many. Each gets their own personalization, so nobody sees the others. */
  to: z.union([EmailRecipient, z.array(EmailRecipient).min(1).max(MAX_RECIPIENTS)]),
  /** The subject line; no line breaks. */
  subject: phi(
    z
      .string()
      .min(1)
      .max(998)
      .regex(/^[^\r\n]*$/, 'no line breaks'),
  ),
  /** HTML body. */
  html: phi(z.string().min(1)).optional(),
  /** Plain-text body (sent first, as SendGrid requires). */
  text: phi(z.string().min(1)).optional(),
  /** A SendGrid template id; `d-…` for dynamic templates. */
  templateId: z.string().min(1).max(100).optional(),
  /** Data for a dynamic template, shared by all recipients. */
  dynamicTemplateData: TemplateData.optional(),
  /** Marketing sends pass the consent gate and need `asmGroupId`; transactional ones do not. */
  purpose: z.enum(['transactional', 'marketing']),
  /** The CRM contact id of a single recipient given as a bare address. */
  contactId: z.string().min(1).max(200).optional(),
  /** Up to 10 unique category names (reporting groups), 255 characters each. */
  categories: z.array(z.string().min(1).max(255)).max(10).optional(),
  /** Extra `custom_args` carried to events. Keys may not start with `hmi_`. */
  customArgs: z.record(CustomArgKey, z.string().max(1000)).optional(),
  /**
   * The outbox item this send delivers: sent as `custom_args.hmi_outbox_id`, so the Event Webhook's
   * events name it and {@link reconcileSendGridOutbox} can tell an in-doubt item was accepted.
   */
  outboxId: z.string().min(1).max(200).optional(),
  /** The unsubscribe group (ASM). Required for marketing (CAN-SPAM). */
  asmGroupId: z.number().int().positive().optional(),
  /** Where replies go. */
  replyTo: SendGridSender.optional(),
  /** SendGrid sandbox mode: validated and answered, never delivered. */
  sandbox: z.boolean().optional(),
});
/** The input of `sendEmail` as callers write it. */
export type SendEmailInput = z.input<typeof SendEmailInput>;
/** The input after parsing (addresses normalised). */
export type SendEmailParsed = z.output<typeof SendEmailInput>;

/** One mail/send request of a send. */
export const SendEmailBatch = z.object({
  /** SendGrid's `X-Message-Id`; events carry it as the prefix of `sg_message_id`. */
  messageId: z.string(),
  /** Index of the batch's first recipient in the flattened `to` list. */
  firstIndex: z.number().int().nonnegative(),
  /** Recipients in this request. */
  recipients: z.number().int().positive(),
});
/** One mail/send request of a send. */
export type SendEmailBatch = z.infer<typeof SendEmailBatch>;

/** What `sendEmail` returns. */
export const SendEmailResult = z.object({
  /** One canonical Message per recipient, in input order, status `accepted`, id = its request's `X-Message-Id`. */
  messages: z.array(Message),
  /** One entry per mail/send request. */
  batches: z.array(SendEmailBatch),
  /** This send's id, also in every personalization's `custom_args.hmi_send_id` (find duplicates by it). */
  sendId: z.string(),
});
/** What `sendEmail` returns. */
export type SendEmailResult = z.infer<typeof SendEmailResult>;
