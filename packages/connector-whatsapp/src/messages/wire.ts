import { ValidationError } from '@hmi/core';
import { Message } from '@hmi/core/schemas';
import { normalizePhone } from '@hmi/phone';
import { z } from 'zod';
import type { WhatsAppContext } from '../whatsapp-context.js';

/** What Meta bills a send as (Meta: "Pricing on the WhatsApp Business Platform"). */
export const ConversationCategory = z.enum(['marketing', 'utility', 'authentication', 'service']);
/** A conversation (pricing) category. */
export type ConversationCategory = z.infer<typeof ConversationCategory>;

/** A template's category, as Meta names it. */
export const TemplateCategory = z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']);
/** A template category. */
export type TemplateCategory = z.infer<typeof TemplateCategory>;

/** The answer of `POST /<phone number id>/messages`: the wamid of the accepted message. */
export const SendResponse = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  contacts: z
    .array(z.object({ input: z.string().max(64).optional(), wa_id: z.string().max(64).optional() }))
    .max(10)
    .optional(),
  messages: z
    .array(z.object({ id: z.string().min(1).max(256), message_status: z.string().max(32).optional() }))
    .min(1)
    .max(10),
});

/** What a send returns: the canonical Message and what it is billed as. */
export const SendResult = Message.extend({ category: ConversationCategory });
/** A send's result. */
export type SendResult = z.infer<typeof SendResult>;

/** A recipient in E.164 (`+966551234567`), re-labelling a bad number as a ValidationError on `to`. */
export function recipientE164(raw: string, ctx: WhatsAppContext): string {
  try {
    return normalizePhone(raw, ctx.config.defaultRegion ? { defaultRegion: ctx.config.defaultRegion } : {});
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    throw new ValidationError('to is not a valid phone number', {
      connector: ctx.connector,
      issues: [{ path: ['to'], code: 'invalid_phone', message: 'not a valid phone number' }],
    });
  }
}

/** The wire form of a number: Meta's `to` and `wa_id` are the digits without `+`. */
export const waId = (e164: string): string => e164.replace(/^\+/, '');

/** The E.164 form of a `wa_id` from a webhook. */
export const fromWaId = (id: string): string => (id.startsWith('+') ? id : `+${id}`);

/** Posts one message and returns its wamid. Graph takes no idempotency key: the core never repeats an unknown outcome. */
export async function postMessage(
  ctx: WhatsAppContext,
  json: Record<string, unknown>,
  operation: string,
  signal: AbortSignal | undefined,
): Promise<{ id: string; status: string | undefined }> {
  const answer = await ctx.http.request({
    method: 'POST',
    path: `${ctx.config.phoneNumberId}/messages`,
    json: { messaging_product: 'whatsapp', ...json },
    schema: SendResponse,
    operation,
    ...(signal && { signal }),
  });
  const first = answer.messages[0]!;
  return { id: first.id, status: first.message_status };
}
