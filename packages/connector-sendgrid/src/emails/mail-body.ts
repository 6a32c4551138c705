import { ValidationError, type ValidationIssue } from '@hmi/core';
import { HMI_CUSTOM_ARGS, type SendEmailParsed } from './mail-schemas.js';

/** An address with an optional display name, as SendGrid's `MailTo`/`MailFrom` take it. */
export interface SendGridAddress {
  email: string;
  name?: string;
}

/** A recipient after normalisation. */
export interface ResolvedRecipient {
  email: string;
  name?: string | undefined;
  contactId?: string | undefined;
  dynamicTemplateData?: Record<string, unknown> | undefined;
}

/** Turns `to` (one or many, bare or detailed) into a list, giving a bare single address the call's contactId. */
export function resolveRecipients(input: SendEmailParsed): ResolvedRecipient[] {
  const list = Array.isArray(input.to) ? input.to : [input.to];
  return list.map((r) =>
    typeof r === 'string'
      ? { email: r, contactId: Array.isArray(input.to) ? undefined : input.contactId }
      : {
          email: r.email,
          name: r.name,
          contactId: r.contactId ?? (Array.isArray(input.to) ? undefined : input.contactId),
          dynamicTemplateData: r.dynamicTemplateData,
        },
  );
}

/** Encodes a sender or reply-to as SendGrid's address object. */
export function toAddress(sender: string | { email: string; name?: string | undefined }): SendGridAddress {
  return typeof sender === 'string' ? { email: sender } : { email: sender.email, ...(sender.name && { name: sender.name }) };
}

const CUSTOM_ARGS_LIMIT_BYTES = 10_000;

/**
 * Checks the rules zod cannot see in one field. Throws a ValidationError naming the field (never a
 * value) so nothing is sent and no consent is asked for a send that cannot go.
 */
export function assertSendable(input: SendEmailParsed, recipients: ResolvedRecipient[]): void {
  const issues: ValidationIssue[] = [];
  if (input.purpose === 'marketing' && input.asmGroupId === undefined) {
    issues.push({
      path: ['asmGroupId'],
      code: 'required_for_marketing',
      message: 'marketing email needs an unsubscribe group (asmGroupId) under CAN-SPAM',
    });
  }
  if (input.html === undefined && input.text === undefined && input.templateId === undefined) {
    issues.push({ path: ['html'], code: 'missing_content', message: 'give html, text or templateId' });
  }
  const hasTemplateData = input.dynamicTemplateData !== undefined || recipients.some((r) => r.dynamicTemplateData !== undefined);
  if (hasTemplateData && !input.templateId?.startsWith('d-')) {
    issues.push({
      path: ['templateId'],
      code: 'dynamic_template_required',
      message: 'dynamicTemplateData needs a dynamic template id (d-…)',
    });
  }
  if (input.categories && new Set(input.categories).size !== input.categories.length) {
    issues.push({ path: ['categories'], code: 'not_unique', message: 'categories must be unique' });
  }
  const seen = new Map<string, number>();
  recipients.forEach((r, index) => {
    const key = r.email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined && issues.length < 20) {
      issues.push({ path: ['to', index], code: 'duplicate_recipient', message: `same address as to.${first}` });
    } else seen.set(key, index);
  });
  const argsBytes = Buffer.byteLength(JSON.stringify(input.customArgs ?? {})) + 300;
  if (argsBytes > CUSTOM_ARGS_LIMIT_BYTES) {
    issues.push({ path: ['customArgs'], code: 'too_big', message: 'custom_args may not exceed 10 000 bytes' });
  }
  if (issues.length > 0) {
    const where = issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    throw new ValidationError(`sendEmail input is not sendable: ${where}`, { issues });
  }
}

/** The `custom_args` of one personalization: the caller's, plus purpose, contact and send ids. */
function customArgsFor(input: SendEmailParsed, recipient: ResolvedRecipient, sendId: string): Record<string, string> {
  return {
    ...input.customArgs,
    [HMI_CUSTOM_ARGS.purpose]: input.purpose,
    [HMI_CUSTOM_ARGS.sendId]: sendId,
    ...(recipient.contactId !== undefined && { [HMI_CUSTOM_ARGS.contactId]: recipient.contactId }),
    ...(input.outboxId !== undefined && { [HMI_CUSTOM_ARGS.outboxId]: input.outboxId }),
  };
}

/**
 * Builds one v3 mail/send body for a slice of recipients. Every recipient gets their own
 * personalization (so nobody sees another address) with their own `custom_args`.
 */
export function buildMailBody(
  input: SendEmailParsed,
  recipients: ResolvedRecipient[],
  from: SendGridAddress,
  sendId: string,
): Record<string, unknown> {
  const content: Array<{ type: string; value: string }> = [];
  // SendGrid requires text/plain before text/html.
  if (input.text !== undefined) content.push({ type: 'text/plain', value: input.text });
  if (input.html !== undefined) content.push({ type: 'text/html', value: input.html });
  return {
    personalizations: recipients.map((r) => {
      const data =
        input.dynamicTemplateData !== undefined || r.dynamicTemplateData !== undefined
          ? { ...input.dynamicTemplateData, ...r.dynamicTemplateData }
          : undefined;
      return {
        to: [r.name ? { email: r.email, name: r.name } : { email: r.email }],
        custom_args: customArgsFor(input, r, sendId),
        ...(data !== undefined && { dynamic_template_data: data }),
      };
    }),
    from,
    ...(input.replyTo !== undefined && { reply_to: toAddress(input.replyTo) }),
    subject: input.subject,
    ...(content.length > 0 && { content }),
    ...(input.templateId !== undefined && { template_id: input.templateId }),
    ...(input.categories !== undefined && { categories: input.categories }),
    ...(input.asmGroupId !== undefined && { asm: { group_id: input.asmGroupId } }),
    ...(input.sandbox === true && { mail_settings: { sandbox_mode: { enable: true } } }),
  };
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
