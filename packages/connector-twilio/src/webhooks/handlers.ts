import {
  ConfigError,
  type ConsentEvent,
  type Message,
  ValidationError,
  type WebhookEvent,
  type WebhookRequest,
  WebhookVerificationError,
} from '@hmi/core';
import { tryNormalizePhone } from '@hmi/phone';
import * as v from 'valibot';
import { nonEmpty, objectRule, pattern, noArrays } from '../schema-kit.js';
import { parseParams } from './parse-params.js';
import { TwilioMessageStatus, splitAddress, toMessageStatus } from '../messages/twilio-message.js';
import { countSmsSegments } from '../sms/segments.js';
import { sha256Hex } from '../sha256.js';
import type { TwilioContext } from '../twilio-context.js';
import { TwilioErrorCode } from '../twilio-error.js';
import { type TwilioParams, verifyTwilioSignature } from './signature.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** The URL Twilio called: the request's, or rebuilt on `webhookOrigin` behind a proxy. */
function publicUrl(requestUrl: string, ctx: TwilioContext): string {
  if (!ctx.webhookOrigin) return requestUrl;
  const origin = new URL(ctx.webhookOrigin);
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(requestUrl);
  const rest = match ? (match[1] ?? '') : requestUrl;
  return `${origin.protocol}//${origin.host}${rest.startsWith('/') ? rest : `/${rest}`}`;
}

function decode(rawBody: Uint8Array, connector: string): string {
  try {
    return utf8.decode(rawBody);
  } catch {
    throw new ValidationError('webhook body is not valid UTF-8', {
      connector,
      issues: [{ path: ['body'], code: 'invalid_encoding', message: 'expected UTF-8' }],
    });
  }
}

/** Form parameters as Twilio's validators see them: a repeated name becomes an array. */
export function parseFormParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[name] = [existing, value];
  }
  return params;
}

function jsonParams(text: string, connector: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ValidationError('webhook JSON body is not an object', {
      connector,
      issues: [{ path: ['body'], code: 'invalid_type', message: 'expected object' }],
    });
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}

/**
 * Checks `X-Twilio-Signature` on a raw request and returns its parameters. A form body is signed
 * with its parameters; a JSON body through the URL's `bodySHA256`.
 */
export function verifiedParams(request: WebhookRequest, ctx: TwilioContext): TwilioParams {
  if (!ctx.authToken) {
    throw new ConfigError('Twilio webhooks need authToken: Twilio signs them with the account auth token', {
      connector: ctx.connector,
      issues: [{ path: ['authToken'], code: 'invalid_type', message: 'expected string' }],
    });
  }
  const signature = request.headers.get('x-twilio-signature');
  if (!signature) throw new WebhookVerificationError('missing X-Twilio-Signature header', { connector: ctx.connector });
  const url = publicUrl(request.url, ctx);
  let hasBodyHash = false;
  try {
    hasBodyHash = new URL(url).searchParams.has('bodySHA256');
  } catch {
    throw new WebhookVerificationError('webhook URL is not a valid URL', { connector: ctx.connector });
  }
  // The signature is checked before the body is judged in any way: an unsigned request gets 401
  // whatever its bytes, so a prober learns nothing about how the body would have been read.
  if (hasBodyHash) {
    if (!verifyTwilioSignature({ url, body: request.rawBody, signature, authToken: ctx.authToken })) {
      throw new WebhookVerificationError('Twilio signature or body hash did not verify', { connector: ctx.connector });
    }
    return jsonParams(decode(request.rawBody, ctx.connector), ctx.connector);
  }
  // A form body is signed over its decoded parameters, so they are read leniently (invalid UTF-8
  // becomes U+FFFD) for the check, and the bytes are held to strict UTF-8 only once it passed.
  const params = parseFormParams(lenient.decode(request.rawBody));
  if (!verifyTwilioSignature({ url, params, signature, authToken: ctx.authToken })) {
    throw new WebhookVerificationError('Twilio signature did not verify', { connector: ctx.connector });
  }
  decode(request.rawBody, ctx.connector);
  return params;
}

const Sid = () => pattern(/^(SM|MM)[0-9a-fA-F]{32}$/);

const StatusCallbackObject = noArrays(
  v.object({
    MessageSid: v.optional(Sid()),
    SmsSid: v.optional(Sid()),
    MessageStatus: v.optional(TwilioMessageStatus),
    SmsStatus: v.optional(TwilioMessageStatus),
    To: nonEmpty(),
    From: v.optional(nonEmpty()),
    ErrorCode: v.optional(pattern(/^\d+$/)),
    AccountSid: v.optional(v.string()),
  }),
);

/** The parameters of a message status callback that the connector reads. */
export const StatusCallbackParams = v.pipe(
  StatusCallbackObject,
  objectRule<v.InferOutput<typeof StatusCallbackObject>>((p) => [
    ...((p.MessageSid ?? p.SmsSid) === undefined ? [{ key: 'MessageSid', message: 'MessageSid is required' }] : []),
    ...((p.MessageStatus ?? p.SmsStatus) === undefined ? [{ key: 'MessageStatus', message: 'MessageStatus is required' }] : []),
  ]),
);

/** The parameters of an inbound SMS that the connector reads. */
export const InboundSmsParams = noArrays(
  v.object({
    MessageSid: Sid(),
    From: nonEmpty(),
    To: nonEmpty(),
    Body: v.optional(v.string(), ''),
    AccountSid: v.optional(v.string()),
  }),
);

function normaliseAddress(address: string): string {
  const { address: plain } = splitAddress(address);
  // Twilio sends E.164 already; normalising keeps the consent event's recipient in the same form
  // the send path checks. A short code or sender ID is kept as it is.
  return tryNormalizePhone(plain) ?? plain;
}

/**
 * Maps a verified status callback (queued, sent, delivered, undelivered, failed, …) to a
 * `message.<status>` event carrying the canonical Message with its `errorCode` (30003–30008 for
 * delivery failures). The event id is MessageSid + status, so redeliveries deduplicate. A callback
 * with error 21610 (recipient opted out) also reports `consent.revoked` through the gate.
 */
export async function mapStatusCallback(event: WebhookEvent, ctx: TwilioContext): Promise<WebhookEvent[]> {
  const params = parseParams(StatusCallbackParams, paramsOf(event), 'status callback', ctx.connector);
  const at = event.occurredAt ?? ctx.now().toISOString();
  const sid = (params.MessageSid ?? params.SmsSid) as string;
  const status = toMessageStatus((params.MessageStatus ?? params.SmsStatus) as TwilioMessageStatus);
  const { channel, address: to } = splitAddress(params.To);
  const message: Message = {
    id: sid,
    source: { system: 'twilio', id: sid },
    channel,
    direction: 'outbound',
    to,
    status,
    updatedAt: at,
  };
  if (params.From) message.from = splitAddress(params.From).address;
  if (params.ErrorCode && params.ErrorCode !== '0') message.errorCode = params.ErrorCode;
  const events: WebhookEvent[] = [{ id: event.id, type: `message.${status}`, occurredAt: at, data: message }];
  if (params.ErrorCode === String(TwilioErrorCode.UNSUBSCRIBED_RECIPIENT)) {
    const consent: ConsentEvent = {
      type: 'consent.revoked',
      recipient: normaliseAddress(params.To),
      channel: 'sms',
      purpose: 'all',
      source: 'vendor-error',
      occurredAt: at,
      connector: ctx.connector,
    };
    await ctx.gate.emit(consent);
    events.push({ id: `${sid}:consent`, type: consent.type, data: consent });
  }
  return events;
}

/**
 * Maps a verified inbound SMS to a `message.received` event (a canonical inbound Message). When the
 * whole text is an opt-out or opt-in keyword (STOP, إيقاف, START, …) a consent event is reported
 * through the gate's `emit` — so the host can persist it — and returned as a second event; a HELP
 * keyword adds an `sms.help` event. Twilio enforces its English keywords itself; Arabic ones are
 * enforced only by the host's consent store, which is why they must be persisted.
 */
export async function mapInboundSms(event: WebhookEvent, ctx: TwilioContext): Promise<WebhookEvent[]> {
  const params = parseParams(InboundSmsParams, paramsOf(event), 'inbound message', ctx.connector);
  const { channel, address: from } = splitAddress(params.From);
  const now = event.occurredAt ?? ctx.now().toISOString();
  const message: Message = {
    id: params.MessageSid,
    source: { system: 'twilio', id: params.MessageSid },
    channel,
    direction: 'inbound',
    to: splitAddress(params.To).address,
    from,
    body: params.Body,
    status: 'received',
    createdAt: now,
  };
  if (params.Body.length > 0) message.segments = countSmsSegments(params.Body);
  const events: WebhookEvent[] = [{ id: event.id, type: 'message.received', occurredAt: now, data: message }];
  const keyword = ctx.keywords(params.Body);
  if (keyword === 'opt-out' || keyword === 'opt-in') {
    const consent: ConsentEvent = {
      type: keyword === 'opt-out' ? 'consent.revoked' : 'consent.granted',
      recipient: normaliseAddress(params.From),
      channel: 'sms',
      // An SMS STOP ends every message from the sender; START lifts exactly that block.
      purpose: 'all',
      source: 'sms-keyword',
      keyword: params.Body.trim(),
      occurredAt: now,
      connector: ctx.connector,
    };
    await ctx.gate.emit(consent);
    events.push({ id: `${params.MessageSid}:consent`, type: consent.type, occurredAt: now, data: consent });
  } else if (keyword === 'help') {
    events.push({
      id: `${params.MessageSid}:help`,
      type: 'sms.help',
      occurredAt: now,
      data: { messageId: params.MessageSid, recipient: normaliseAddress(params.From) },
    });
  }
  return events;
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

function paramsOf(event: WebhookEvent): TwilioParams {
  const data = event.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  return data as TwilioParams;
}

/**
 * The envelope of an authentic Twilio callback: its parameters as received (`data`), keyed by the
 * MessageSid (plus the status for a status callback, so each transition is its own event). A
 * callback without a usable MessageSid is still authentic: it is keyed by the SHA-256 of its bytes
 * and stored, and its mapping fails later, in the dead-letter queue.
 */
function envelope(request: WebhookRequest, ctx: TwilioContext, kind: 'status' | 'inbound'): WebhookEvent[] {
  const params = verifiedParams(request, ctx);
  const sid = first(params.MessageSid) ?? first(params.SmsSid);
  const usable = sid !== undefined && /^[A-Za-z0-9]{1,64}$/.test(sid) ? sid : undefined;
  const key = usable ?? `sha256:${sha256Hex(request.rawBody)}`;
  const status = first(params.MessageStatus) ?? first(params.SmsStatus);
  const safeStatus = status !== undefined && /^[a-z_]{1,32}$/.test(status) ? status : 'unknown';
  const data = Object.fromEntries(Object.entries(params));
  return [
    kind === 'status'
      ? { id: `${key}:${safeStatus}`, type: 'twilio.status_callback', occurredAt: ctx.now().toISOString(), data }
      : { id: key, type: 'twilio.inbound_sms', occurredAt: ctx.now().toISOString(), data },
  ];
}

/** Verifies a status callback and returns it unmapped (the `verify` half of the webhook). */
export function receiveStatusCallback(request: WebhookRequest, ctx: TwilioContext): WebhookEvent[] {
  return envelope(request, ctx, 'status');
}

/** Verifies an inbound SMS and returns it unmapped (the `verify` half of the webhook). */
export function receiveInboundSms(request: WebhookRequest, ctx: TwilioContext): WebhookEvent[] {
  return envelope(request, ctx, 'inbound');
}
