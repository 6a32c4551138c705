import { phi } from '@hmi/core';
import { z } from 'zod';
import { assertInWindow } from '../window/service-window.js';
import type { WhatsAppContext } from '../whatsapp-context.js';
import { postMessage, recipientE164, type SendResult, waId } from './wire.js';

/** Input of `sendText`. */
export const SendTextInput = z.object({
  /** The recipient: E.164, or a local number read with `defaultRegion`. */
  to: phi(z.string().min(1).max(64)),
  /** The text (WhatsApp's limit: 4096 characters). */
  text: phi(z.string().min(1).max(4096)),
  /** When the patient last wrote, if the caller knows; the host's `lastInbound` lookup is asked too. */
  lastInboundAt: z.coerce.date().optional(),
  /** Let WhatsApp render a link preview. Default false. */
  previewUrl: z.boolean().default(false),
  /** The CRM contact, kept on the result. */
  contactId: z.string().min(1).max(256).optional(),
  /** Reply to this inbound message (its wamid). */
  replyTo: z.string().min(1).max(256).optional(),
});
/** Input of `sendText` as callers write it. */
export type SendTextInput = z.input<typeof SendTextInput>;

/**
 * Sends a free-form text: a service message, allowed only within 24 hours of the patient's last
 * message. Refused before any request (ValidationError `outside_service_window`: send a template)
 * when the window is closed or when neither the call nor the host's lookup knows the last message.
 */
export async function sendText(
  input: z.output<typeof SendTextInput>,
  ctx: WhatsAppContext,
  signal: AbortSignal | undefined,
): Promise<SendResult> {
  const to = recipientE164(input.to, ctx);
  await assertInWindow(to, input.lastInboundAt, ctx);
  const sent = await postMessage(
    ctx,
    {
      recipient_type: 'individual',
      to: waId(to),
      type: 'text',
      text: { preview_url: input.previewUrl, body: input.text },
      ...(input.replyTo && { context: { message_id: input.replyTo } }),
    },
    'sendText',
    signal,
  );
  return {
    id: sent.id,
    source: { system: 'whatsapp', id: sent.id },
    channel: 'whatsapp',
    direction: 'outbound',
    purpose: 'transactional',
    to,
    body: input.text,
    status: 'accepted',
    category: 'service',
    ...(input.contactId && { contactId: input.contactId }),
    createdAt: new Date(ctx.now()).toISOString(),
  };
}

/** Input of `markRead`. */
export const MarkReadInput = z.object({ messageId: z.string().regex(/^wamid\.[A-Za-z0-9+/=_-]{1,250}$/, 'expected a wamid') });

/** Marks an inbound message read (blue ticks). Repeating it changes nothing. */
export async function markRead(input: z.output<typeof MarkReadInput>, ctx: WhatsAppContext, signal: AbortSignal | undefined) {
  return ctx.http.request({
    method: 'POST',
    path: `${ctx.config.phoneNumberId}/messages`,
    json: { messaging_product: 'whatsapp', status: 'read', message_id: input.messageId },
    schema: z.object({ success: z.boolean() }),
    operation: 'markRead',
    ...(signal && { signal }),
  });
}
