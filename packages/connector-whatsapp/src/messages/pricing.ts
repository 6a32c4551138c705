import { z } from 'zod';
import { lastInboundOf, windowOpen } from '../window/service-window.js';
import type { WhatsAppContext } from '../whatsapp-context.js';
import { ConversationCategory, recipientE164, TemplateCategory } from './wire.js';

/**
 * What a send is billed as: a template by its category (MARKETING → marketing, UTILITY → utility,
 * AUTHENTICATION → authentication); a free-form message inside the window → service.
 */
export function conversationCategoryOf(send: { template?: { category: TemplateCategory } | undefined }): ConversationCategory {
  if (!send.template) return 'service';
  return send.template.category.toLowerCase() as ConversationCategory;
}

/**
 * Whether Meta charges for it (per-message pricing, from 1 July 2025): marketing and
 * authentication always; utility except inside an open customer-service window; service never.
 */
export function isBillable(category: ConversationCategory, windowIsOpen: boolean): boolean {
  if (category === 'service') return false;
  if (category === 'utility') return !windowIsOpen;
  return true;
}

/** Input of `estimateSend`. */
export const EstimateSendInput = z.object({
  /** The recipient, as for a send. */
  to: z.string().min(1).max(64),
  /** The template's category; leave out for a free-form `sendText`. */
  category: TemplateCategory.optional(),
  /** When the patient last wrote, if the caller knows (else the host's `lastInbound` is asked). */
  lastInboundAt: z.coerce.date().optional(),
});

/** What a send will be billed as, before it is sent. */
export const SendEstimate = z.object({
  category: ConversationCategory,
  /** Whether the 24-hour customer-service window is open for this patient now. */
  windowOpen: z.boolean(),
  /** Whether Meta charges for it. */
  billable: z.boolean(),
  /** A free-form send outside the window will be refused: send a template. */
  allowed: z.boolean(),
  /** The price from the config's `rates`, when given and billable. */
  estimate: z.object({ amount: z.number(), currency: z.string() }).optional(),
});
/** A send's estimate. */
export type SendEstimate = z.infer<typeof SendEstimate>;

/** Estimates one send without sending it (no request to Meta): category, window, billable, price. */
export async function estimateSend(input: z.output<typeof EstimateSendInput>, ctx: WhatsAppContext): Promise<SendEstimate> {
  const to = recipientE164(input.to, ctx);
  const open = windowOpen(await lastInboundOf(to, input.lastInboundAt, ctx), ctx.now());
  const category = conversationCategoryOf(input.category ? { template: { category: input.category } } : {});
  const billable = isBillable(category, open);
  const rate = ctx.config.rates?.[category];
  return {
    category,
    windowOpen: open,
    billable,
    allowed: category !== 'service' || open,
    ...(billable && rate && { estimate: { amount: rate.amount, currency: rate.currency } }),
  };
}
