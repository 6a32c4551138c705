import { type ConsentEvent, type Message, type MessageStatus, ValidationError, type WebhookEvent } from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import { z } from 'zod';
import { fromWaId } from '../messages/wire.js';
import { recordInbound } from '../window/service-window.js';
import type { WhatsAppContext } from '../whatsapp-context.js';
import { WhatsAppErrorCode } from '../whatsapp-error.js';
import { RAW_EVENT } from './receive.js';

/**
 * The words of WhatsApp's marketing opt-out quick-reply button ("Stop promotions"): a tap revokes
 * marketing only. Added to the shared keyword list, so they classify as opt-outs.
 */
export const STOP_PROMOTIONS_WORDS: readonly string[] = ['Stop promotions', 'STOP_PROMOTIONS', 'إيقاف العروض الترويجية'];

const Seconds = z.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()]).transform(Number);
const WaId = z.string().regex(/^\+?\d{5,20}$/, 'expected a WhatsApp id (digits)');

/** An inbound message item (Meta: Cloud API webhooks, `messages` field). Only what is mapped is required. */
export const InboundItem = z.object({
  id: z.string().min(1).max(256),
  from: WaId,
  timestamp: Seconds.optional(),
  type: z.string().max(32),
  text: z.object({ body: z.string().max(65_536) }).optional(),
  button: z.object({ payload: z.string().max(1024).optional(), text: z.string().max(1024).optional() }).optional(),
  interactive: z
    .object({
      type: z.string().max(32),
      button_reply: z.object({ id: z.string().max(256), title: z.string().max(256) }).optional(),
      list_reply: z.object({ id: z.string().max(256), title: z.string().max(256) }).optional(),
    })
    .optional(),
});

/** A status item: sent, delivered, read or failed, with error codes on failure. */
export const StatusItem = z.object({
  id: z.string().min(1).max(256),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: Seconds.optional(),
  recipient_id: WaId,
  pricing: z.object({ billable: z.boolean().optional(), category: z.string().max(32).optional() }).optional(),
  errors: z
    .array(z.object({ code: z.number().int() }))
    .max(20)
    .optional(),
});

/** A template review change (`message_template_status_update`). */
export const TemplateStatusItem = z.object({
  event: z.string().regex(/^[A-Z_]{1,64}$/),
  message_template_id: z.union([z.string().max(64), z.number()]).transform(String),
  message_template_name: z.string().max(512).optional(),
  message_template_language: z.string().max(16).optional(),
  reason: z.string().max(256).nullable().optional(),
});

/** The data of a `template.status` event. */
export interface TemplateStatusEvent {
  templateId: string;
  name?: string;
  language?: string;
  /** APPROVED, REJECTED, PAUSED, DISABLED, PENDING_DELETION … */
  status: string;
  /** Meta's reason code (`INCORRECT_CATEGORY`, …) when it gave one. */
  reason?: string;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string, connector: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  // Paths and codes only: the values may be a patient's words.
  throw new ValidationError(`WhatsApp ${what} is not in the expected shape`, {
    connector,
    issues: parsed.error.issues
      .slice(0, 10)
      .map((i) => ({ path: i.path.map(String), code: i.code, message: 'unexpected shape' })),
  });
}

const itemOf = (event: WebhookEvent): unknown =>
  event.data !== null && typeof event.data === 'object' ? (event.data as { item?: unknown }).item : undefined;
const displayOf = (event: WebhookEvent): string | undefined =>
  event.data !== null && typeof event.data === 'object'
    ? (event.data as { displayPhoneNumber?: string }).displayPhoneNumber
    : undefined;
const iso = (seconds: number | undefined, fallback: string): string =>
  seconds !== undefined && seconds > 0 ? new Date(seconds * 1000).toISOString() : fallback;
const e164 = (waId: string): string => tryNormalizePhone(fromWaId(waId)) ?? fromWaId(waId);

/** The text of an inbound message, and whether it came from a button (quick reply) rather than typing. */
function textOf(item: z.output<typeof InboundItem>): { body: string | undefined; button: string[] } {
  if (item.text) return { body: item.text.body, button: [] };
  if (item.button)
    return { body: item.button.text, button: [item.button.payload, item.button.text].filter((s): s is string => !!s) };
  const reply = item.interactive?.button_reply ?? item.interactive?.list_reply;
  if (reply) return { body: reply.title, button: [reply.id, reply.title] };
  return { body: undefined, button: [] };
}

/**
 * Maps an inbound message to `message.received` (a canonical inbound Message) and records its time
 * through the host's `recordInbound` (it opens the 24-hour window). A typed opt-out word (STOP,
 * إيقاف …, the shared list) revokes every purpose; a STOP quick-reply revokes every purpose, a
 * "Stop promotions" tap marketing only. Either is reported through the gate's `emit` — so the
 * host persists it — and returned as a `consent.revoked` event, as Twilio's inbound SMS does.
 */
async function mapInbound(event: WebhookEvent, ctx: WhatsAppContext): Promise<WebhookEvent[]> {
  const item = parse(InboundItem, itemOf(event), 'inbound message', ctx.connector);
  const fallback = event.occurredAt ?? new Date(ctx.now()).toISOString();
  const at = iso(item.timestamp, fallback);
  const from = e164(item.from);
  const { body, button } = textOf(item);
  const display = displayOf(event);
  const message: Message = {
    id: item.id,
    source: { system: 'whatsapp', id: item.id },
    channel: 'whatsapp',
    direction: 'inbound',
    to: display ? e164(display.replace(/\D/g, '')) : ctx.config.phoneNumberId,
    from,
    ...(body !== undefined && { body }),
    status: 'received',
    createdAt: at,
  };
  await recordInbound(from, new Date(at), ctx);
  const events: WebhookEvent[] = [{ id: event.id, type: 'message.received', occurredAt: at, data: message }];
  const candidates = button.length > 0 ? button : body !== undefined ? [body] : [];
  const keyword = candidates.map((c) => ctx.keywords(c)).find((k) => k === 'opt-out' || k === 'opt-in');
  if (keyword) {
    const promotionsOnly = button.some((b) => STOP_PROMOTIONS_WORDS.some((w) => w.toLowerCase() === b.trim().toLowerCase()));
    const consent: ConsentEvent = {
      type: keyword === 'opt-out' ? 'consent.revoked' : 'consent.granted',
      recipient: from,
      channel: 'whatsapp',
      purpose: promotionsOnly ? 'marketing' : 'all',
      source: button.length > 0 ? 'whatsapp-quick-reply' : 'whatsapp-keyword',
      keyword: (candidates.find((c) => ctx.keywords(c) === keyword) ?? '').trim().slice(0, 64),
      occurredAt: at,
      connector: ctx.connector,
    };
    await ctx.gate.emit(consent);
    events.push({ id: `${item.id}:consent`, type: consent.type, occurredAt: at, data: consent });
  }
  return events;
}

/**
 * Maps a status to `message.<status>` with the canonical Message: sent, delivered, read, failed —
 * `undelivered` when WhatsApp says 131026 (the host falls back to SMS). `errorCode` is the first
 * error code. A failure 131050 (the patient stopped marketing) also reports a marketing
 * `consent.revoked` through the gate.
 */
async function mapStatus(event: WebhookEvent, ctx: WhatsAppContext): Promise<WebhookEvent[]> {
  const raw = itemOf(event);
  const kind = raw !== null && typeof raw === 'object' ? (raw as { status?: unknown }).status : undefined;
  // A status hmi has no canonical word for (Meta adds some: `deleted`, `played` …) passes through
  // for the host, instead of failing the delivery.
  if (typeof kind === 'string' && !StatusItem.shape.status.safeParse(kind).success) return [event];
  const item = parse(StatusItem, raw, 'status', ctx.connector);
  const at = iso(item.timestamp, event.occurredAt ?? new Date(ctx.now()).toISOString());
  const code = item.errors?.[0]?.code;
  const status: MessageStatus =
    item.status === 'failed' ? (code === WhatsAppErrorCode.UNDELIVERABLE ? 'undelivered' : 'failed') : item.status;
  const to = e164(item.recipient_id);
  const message: Message = {
    id: item.id,
    source: { system: 'whatsapp', id: item.id },
    channel: 'whatsapp',
    direction: 'outbound',
    to,
    status,
    ...(code !== undefined && { errorCode: String(code) }),
    updatedAt: at,
  };
  const events: WebhookEvent[] = [{ id: event.id, type: `message.${status}`, occurredAt: at, data: message }];
  if (code === WhatsAppErrorCode.USER_STOPPED_MARKETING) {
    const consent: ConsentEvent = {
      type: 'consent.revoked',
      recipient: to,
      channel: 'whatsapp',
      purpose: 'marketing',
      source: 'vendor-error',
      occurredAt: at,
      connector: ctx.connector,
    };
    await ctx.gate.emit(consent);
    events.push({ id: `${item.id}:consent`, type: consent.type, occurredAt: at, data: consent });
  }
  return events;
}

function mapTemplateStatus(event: WebhookEvent, ctx: WhatsAppContext): WebhookEvent[] {
  const item = parse(TemplateStatusItem, itemOf(event), 'template status', ctx.connector);
  const data: TemplateStatusEvent = {
    templateId: item.message_template_id,
    status: item.event,
    ...(item.message_template_name && { name: item.message_template_name }),
    ...(item.message_template_language && { language: item.message_template_language }),
    ...(item.reason && /^[A-Z_]{1,64}$/.test(item.reason) && { reason: item.reason }),
  };
  return [{ id: event.id, type: 'template.status', ...(event.occurredAt && { occurredAt: event.occurredAt }), data }];
}

/**
 * Maps one verified WhatsApp event (as `verify` returned it, perhaps read back from a store). A
 * shape the mapping cannot read is a ValidationError — the host's dead-letter queue keeps it;
 * changes of other fields pass through unchanged for the host.
 */
export async function mapWhatsApp(event: WebhookEvent, ctx: WhatsAppContext): Promise<WebhookEvent[]> {
  switch (event.type) {
    case RAW_EVENT.message:
      return mapInbound(event, ctx);
    case RAW_EVENT.status:
      return mapStatus(event, ctx);
    case RAW_EVENT.templateStatus:
      return mapTemplateStatus(event, ctx);
    default:
      return [event];
  }
}
