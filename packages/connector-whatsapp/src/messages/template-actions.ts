import { phi, type SendPurpose } from '@hmi/core';
import { z } from 'zod';
import type { WhatsAppContext } from '../whatsapp-context.js';
import { conversationCategoryOf } from './pricing.js';
import { postMessage, recipientE164, type SendResult, TemplateCategory, waId } from './wire.js';

const Text = phi(z.string().min(1).max(1024));
const MediaLink = z.object({ link: z.string().url().max(2048).startsWith('https://'), filename: z.string().max(240).optional() });

/** One template parameter (Meta: Cloud API "Messages" reference, `parameters` object). */
export const TemplateParameter = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: Text, parameter_name: z.string().max(64).optional() }),
  z.object({
    type: z.literal('currency'),
    currency: z.object({
      fallback_value: z.string().max(64),
      code: z.string().regex(/^[A-Z]{3}$/),
      amount_1000: z.number().int(),
    }),
    parameter_name: z.string().max(64).optional(),
  }),
  z.object({
    type: z.literal('date_time'),
    date_time: z.object({ fallback_value: z.string().min(1).max(128) }),
    parameter_name: z.string().max(64).optional(),
  }),
  z.object({ type: z.literal('image'), image: MediaLink }),
  z.object({ type: z.literal('document'), document: MediaLink }),
  z.object({ type: z.literal('video'), video: MediaLink }),
  z.object({ type: z.literal('payload'), payload: z.string().min(1).max(256) }),
  z.object({ type: z.literal('coupon_code'), coupon_code: z.string().min(1).max(20) }),
]);

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

/** One component's parameters: header, body, or a button (quick reply, URL, copy code) by index. */
export const TemplateComponent = z.object({
  // Meta's template definitions say BODY, its send API says body: both are accepted.
  type: z.preprocess(lower, z.enum(['header', 'body', 'button'])),
  sub_type: z.preprocess(lower, z.enum(['quick_reply', 'url', 'copy_code'])).optional(),
  index: z.union([z.number().int().min(0).max(9), z.string().regex(/^\d$/)]).optional(),
  parameters: z.array(TemplateParameter).max(100),
});

const TemplateName = z.string().min(1).max(512);
const Language = z.string().regex(/^[a-z]{2,3}([_-][A-Za-z]{2,4})?$/, 'expected a language code such as ar or en_US');

/** Input of `sendTemplate`. */
export const SendTemplateInput = z
  .object({
    /** The recipient: E.164, or a local number read with `defaultRegion`. */
    to: phi(z.string().min(1).max(64)),
    /**
     * The approved template: its name, or `{ name, language?, category? }` as `listTemplates` gives
     * it. Meta checks the name itself (132001 when unknown).
     */
    template: z.union([
      TemplateName,
      z.object({ name: TemplateName, language: Language.optional(), category: TemplateCategory.optional() }),
    ]),
    /** The template's language as approved: `ar`, `en`, `en_US` … (or `{ code }`, as Meta writes it). */
    language: z.union([Language, z.object({ code: Language }).transform((l) => l.code)]).optional(),
    /**
     * The template's category (from `listTemplates`). MARKETING asks the consent gate; UTILITY and
     * AUTHENTICATION pass as transactional. When unknown, the send is treated as marketing.
     */
    category: TemplateCategory.optional(),
    /** Header, body and button parameters. */
    components: z.array(TemplateComponent).max(20).default([]),
    /** `marketing` always asks the gate, whatever the category; left out, the category decides. */
    purpose: z.enum(['transactional', 'marketing']).optional(),
    /** The CRM contact, passed to the consent check and kept on the result. */
    contactId: z.string().min(1).max(256).optional(),
    /** When the patient last wrote, if known: tells whether a UTILITY template is free (estimate only). */
    lastInboundAt: z.coerce.date().optional(),
  })
  .transform((input) => {
    const template = typeof input.template === 'string' ? { name: input.template } : input.template;
    const category = input.category ?? template.category;
    const language = input.language ?? template.language;
    return { ...input, template: template.name, ...(category && { category }), ...(language && { language }) };
  })
  .superRefine((input, ctx) => {
    if (!input.language) ctx.addIssue({ code: 'custom', path: ['language'], message: 'the template’s language is required' });
    if (input.purpose === 'transactional' && input.category === 'MARKETING') {
      ctx.addIssue({ code: 'custom', path: ['purpose'], message: 'a MARKETING template is a marketing send' });
    }
  });
/** Input of `sendTemplate` as callers write it. */
export type SendTemplateInput = z.input<typeof SendTemplateInput>;

/**
 * The purpose the consent gate is asked with: marketing when the caller says so or the template is
 * MARKETING, and — failing closed — when neither category nor purpose is known.
 */
export function templatePurpose(input: {
  category?: TemplateCategory | undefined;
  purpose?: SendPurpose | undefined;
}): SendPurpose {
  if (input.purpose === 'marketing' || input.category === 'MARKETING') return 'marketing';
  if (input.category === undefined && input.purpose === undefined) return 'marketing';
  return 'transactional';
}

/**
 * Sends an approved template. Before any request: the number to E.164, and the consent gate with
 * channel `whatsapp` (a MARKETING template needs the host's yes; a UTILITY reminder passes as
 * transactional). Templates may be sent outside the 24-hour window.
 */
export async function sendTemplate(
  input: z.output<typeof SendTemplateInput>,
  ctx: WhatsAppContext,
  signal: AbortSignal | undefined,
): Promise<SendResult> {
  const to = recipientE164(input.to, ctx);
  const purpose = templatePurpose(input);
  await ctx.gate.assertAllowed(
    { recipient: to, channel: 'whatsapp', purpose, ...(input.contactId && { contactId: input.contactId }) },
    new Date(ctx.now()),
  );
  const category = conversationCategoryOf({ template: { category: input.category ?? 'MARKETING' } });
  const sent = await postMessage(
    ctx,
    {
      recipient_type: 'individual',
      to: waId(to),
      type: 'template',
      template: {
        name: input.template,
        language: { code: input.language! },
        ...(input.components.length > 0 && { components: input.components }),
      },
    },
    'sendTemplate',
    signal,
  );
  return {
    id: sent.id,
    source: { system: 'whatsapp', id: sent.id },
    channel: 'whatsapp',
    direction: 'outbound',
    purpose,
    to,
    status: 'accepted',
    category,
    ...(input.contactId && { contactId: input.contactId }),
    createdAt: new Date(ctx.now()).toISOString(),
  };
}
