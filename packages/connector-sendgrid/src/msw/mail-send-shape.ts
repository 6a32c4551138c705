import { z } from 'zod';

// A hand-written description of what SendGrid's mail/send accepts (from its API reference), used
// by the fake to answer 400 the way SendGrid would. Contract tests check it against the spec.
const Address = z.object({ email: z.email(), name: z.string().optional() }).strict();

const Personalization = z
  .object({
    to: z.array(Address).min(1).max(1000),
    cc: z.array(Address).max(1000).optional(),
    bcc: z.array(Address).max(1000).optional(),
    subject: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    substitutions: z.record(z.string(), z.string()).optional(),
    dynamic_template_data: z.record(z.string(), z.unknown()).optional(),
    custom_args: z.record(z.string(), z.string()).optional(),
    send_at: z.number().int().optional(),
    from: Address.optional(),
  })
  .strict();

/** The shape of a v3 mail/send body the fake accepts. */
export const MailSendBody = z
  .object({
    personalizations: z.array(Personalization).min(1).max(1000),
    from: Address,
    reply_to: Address.optional(),
    reply_to_list: z.array(Address).max(1000).optional(),
    subject: z.string().min(1).optional(),
    content: z
      .array(z.object({ type: z.string().min(1), value: z.string().min(1) }).strict())
      .min(1)
      .optional(),
    attachments: z.array(z.object({ content: z.string().min(1), filename: z.string() }).passthrough()).optional(),
    template_id: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    categories: z.array(z.string().max(255)).max(10).optional(),
    send_at: z.number().int().optional(),
    batch_id: z.string().optional(),
    asm: z
      .object({ group_id: z.number().int(), groups_to_display: z.array(z.number().int()).max(25).optional() })
      .strict()
      .optional(),
    ip_pool_name: z.string().min(2).max(64).optional(),
    mail_settings: z.record(z.string(), z.unknown()).optional(),
    tracking_settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!body.template_id && !body.content)
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'content or template_id is required' });
    if (!body.template_id && !body.subject && body.personalizations.some((p) => !p.subject)) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'subject is required' });
    }
    if (body.categories && new Set(body.categories).size !== body.categories.length) {
      ctx.addIssue({ code: 'custom', path: ['categories'], message: 'categories must be unique' });
    }
    const plainFirst = body.content?.findIndex((c) => c.type === 'text/plain') ?? -1;
    if (plainFirst > 0) ctx.addIssue({ code: 'custom', path: ['content'], message: 'text/plain must be first' });
  });
/** A v3 mail/send body. */
export type MailSendBody = z.infer<typeof MailSendBody>;
