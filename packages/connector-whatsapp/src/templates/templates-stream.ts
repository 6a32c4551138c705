import { ConfigError, stream } from '@hmi/core';
import { paginateGraph } from '@hmi/connector-meta/graph';
import { z } from 'zod';
import type { WhatsAppContext } from '../whatsapp-context.js';

/** The fields `listTemplates` asks for (Meta's message template fields). */
export const TEMPLATE_FIELDS = ['id', 'name', 'language', 'status', 'category', 'components'] as const;

/**
 * A message template as Graph lists it. Status and category are read as strings (Meta adds new
 * ones; tolerate what we do not use); components are kept as Meta gave them.
 */
export const WireTemplate = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(512),
  language: z.string().min(1).max(16),
  status: z.string().min(1).max(32),
  category: z.string().min(1).max(32),
  components: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
});
/** A template on the wire. */
export type WireTemplate = z.infer<typeof WireTemplate>;

/** A message template: name, language, category (MARKETING, UTILITY, AUTHENTICATION) and review status. */
export const MessageTemplate = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  /** MARKETING, UTILITY or AUTHENTICATION (another string if Meta adds one). */
  category: z.string(),
  /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED … */
  status: z.string(),
  components: z.array(z.record(z.string(), z.unknown())).optional(),
});
/** A message template. */
export type MessageTemplate = z.infer<typeof MessageTemplate>;

/** Where a template read is: Meta's `after` cursor (null before the first page). */
export const TemplatesCheckpoint = z.object({ after: z.string().min(1).max(2048).nullable() });

/**
 * The business account's message templates, cursor paged (`GET /<WABA id>/message_templates`).
 * Use it to learn each template's category before a campaign: MARKETING needs consent, and is
 * billed as marketing.
 */
export const listTemplates = stream({
  description: 'The WhatsApp Business Account’s message templates with category and status',
  record: MessageTemplate,
  checkpoint: TemplatesCheckpoint,
  async *read(ctx: WhatsAppContext, { checkpoint, signal }) {
    const waba = ctx.config.businessAccountId;
    if (!waba) throw new ConfigError('set businessAccountId to list message templates', { connector: ctx.connector });
    let after = checkpoint?.after ?? null;
    const pages = paginateGraph(ctx.http, {
      path: `${waba}/message_templates`,
      query: { fields: TEMPLATE_FIELDS.join(','), limit: ctx.config.pageSize },
      item: WireTemplate,
      graphOrigin: ctx.origin,
      operation: 'listTemplates',
      ...(after !== null && { after }),
      ...(signal && { signal }),
    });
    for await (const page of pages) {
      after = page.after ?? after;
      yield { records: page.items.map((t) => MessageTemplate.parse(t)), checkpoint: { after } };
    }
  },
});
