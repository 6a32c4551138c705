import { randomUUID } from 'node:crypto';
import { type ActionCall, formatIssues, isHmiError, toValidationIssues, ValidationError } from '@hmi/core';
import { Message } from '@hmi/core/schemas';
import { z } from 'zod';
import { EmailAddress } from '../emails/email-address.js';
import type { ResolvedRecipient } from '../emails/mail-body.js';
import { SendEmailBatch, SendEmailInput, type SendEmailParsed } from '../emails/mail-schemas.js';
import { deliverSend, prepareSend, SendGridPartialSendError } from '../emails/send-email.js';
import type { SendGridContext } from '../sendgrid-context.js';
import { BilingualEmailTemplate, pickEmailLanguage, renderBilingualEmail } from './bilingual-email.js';

const TemplatedRecipient = z.union([
  EmailAddress,
  z.object({
    email: EmailAddress,
    name: z.string().min(1).max(256).optional(),
    contactId: z.string().min(1).max(200).optional(),
    /** The contact's preferred languages, most preferred first (`['ar', 'en']`). */
    languages: z.array(z.string().min(2).max(35)).max(10).optional(),
  }),
]);

/** The input of `sendTemplatedEmail`. */
export const SendTemplatedEmailInput = SendEmailInput.omit({
  to: true,
  subject: true,
  html: true,
  text: true,
  templateId: true,
  dynamicTemplateData: true,
}).extend({
  /** One recipient or many; each is written to in their own language. */
  to: z.union([TemplatedRecipient, z.array(TemplatedRecipient).min(1).max(100_000)]),
  /** The languages of a single recipient given as a bare address. */
  languages: z.array(z.string().min(2).max(35)).max(10).optional(),
  /** Subject and body in Arabic and English. */
  template: BilingualEmailTemplate,
  /** `{{name}}` values, shared by all recipients. */
  vars: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** The language for contacts whose languages the template lacks. Default `ar`. */
  fallbackLanguage: z.enum(['ar', 'en']).default('ar'),
});
/** The input of `sendTemplatedEmail` as callers write it. */
export type SendTemplatedEmailInput = z.input<typeof SendTemplatedEmailInput>;

/** What `sendTemplatedEmail` returns. */
export const SendTemplatedEmailResult = z.object({
  /** One Message per recipient, in input order. */
  messages: z.array(Message),
  /** One entry per language used. */
  languages: z.array(
    z.object({
      language: z.string(),
      /** Positions (in `to`) of the recipients written to in this language. */
      recipientIndexes: z.array(z.number().int()),
      batches: z.array(SendEmailBatch),
    }),
  ),
  sendId: z.string(),
});
/** What `sendTemplatedEmail` returns. */
export type SendTemplatedEmailResult = z.infer<typeof SendTemplatedEmailResult>;

interface Group {
  language: string;
  indexes: number[];
  input: SendEmailParsed;
  recipients?: ResolvedRecipient[];
}

/**
 * Sends a bilingual email: each recipient's language is picked from their languages, recipients
 * are grouped by language and each group is sent as one `sendEmail` (Arabic HTML gets
 * `lang="ar" dir="rtl"`). Validation and the consent gate run for every group before the first
 * request, so a refusal sends nothing at all.
 */
export async function runSendTemplatedEmail(
  input: z.output<typeof SendTemplatedEmailInput>,
  ctx: SendGridContext,
  call: ActionCall,
): Promise<SendTemplatedEmailResult> {
  if (!input.template.html && !input.template.text) {
    throw new ValidationError('sendTemplatedEmail needs template.html or template.text', {
      issues: [{ path: ['template', 'html'], code: 'missing_content', message: 'give html or text' }],
    });
  }
  const { to, languages, template, vars, fallbackLanguage, ...common } = input;
  const list = Array.isArray(to) ? to : [to];
  const groups = new Map<string, Group & { to: unknown[] }>();
  list.forEach((r, index) => {
    const langs =
      typeof r === 'string'
        ? Array.isArray(to)
          ? undefined
          : languages
        : (r.languages ?? (Array.isArray(to) ? undefined : languages));
    const language = pickEmailLanguage(template, langs, fallbackLanguage);
    let group = groups.get(language);
    if (!group) {
      group = { language, indexes: [], to: [], input: undefined as unknown as SendEmailParsed };
      groups.set(language, group);
    }
    group.indexes.push(index);
    group.to.push(
      typeof r === 'string'
        ? r
        : { email: r.email, name: r.name, contactId: r.contactId ?? (Array.isArray(to) ? undefined : common.contactId) },
    );
  });
  // Render and validate every group, and pass the consent gate for all, before anything is sent.
  for (const group of groups.values()) {
    const rendered = renderBilingualEmail(template, group.language, vars);
    const raw = {
      ...common,
      to: group.to,
      subject: rendered.subject,
      ...(rendered.html !== undefined && { html: rendered.html }),
      ...(rendered.text !== undefined && { text: rendered.text }),
    };
    const parsed = SendEmailInput.safeParse(raw);
    if (!parsed.success) {
      const issues = toValidationIssues(parsed.error);
      throw new ValidationError(`rendered ${group.language} email is invalid: ${formatIssues(issues)}`, { issues });
    }
    group.input = parsed.data;
    group.recipients = await prepareSend(group.input, ctx);
  }
  const sendId = call.idempotencyKey ?? randomUUID();
  const messages: Message[] = new Array(list.length);
  const out: SendTemplatedEmailResult['languages'] = [];
  const acceptedIndexes: number[] = [];
  const acceptedBatches: SendEmailBatch[] = [];
  for (const group of groups.values()) {
    try {
      const result = await deliverSend(group.input, group.recipients!, ctx, call, sendId);
      result.messages.forEach((m, i) => {
        messages[group.indexes[i]!] = m;
      });
      acceptedIndexes.push(...group.indexes);
      acceptedBatches.push(...result.batches);
      out.push({ language: group.language, recipientIndexes: group.indexes, batches: result.batches });
    } catch (error) {
      if (!isHmiError(error)) throw error;
      const partial = SendGridPartialSendError.isInstance(error) ? error : undefined;
      if (acceptedIndexes.length === 0 && !partial) throw error;
      const inGroup = partial ? partial.acceptedIndexes.map((i) => group.indexes[i]!) : [];
      throw new SendGridPartialSendError(
        [...acceptedBatches, ...(partial?.accepted ?? [])],
        [...acceptedIndexes, ...inGroup].sort((a, b) => a - b),
        partial && isHmiError(partial.cause) ? partial.cause : error,
      );
    }
  }
  return { messages, languages: out, sendId };
}
