import { createHash } from 'node:crypto';
import {
  type CallRecord,
  ValidationError,
  type WebhookEvent,
  type WebhookRequest,
  formatIssues,
  toValidationIssues,
} from '@hmi/core';
import { z } from 'zod';
import { attributeTwilioCall } from '../calls/attribution.js';
import { causeOfStatus, isoFromTwilio, recordingRef, toCallDirection, toCallStatus } from '../calls/twilio-call.js';
import type { TwilioContext } from '../twilio-context.js';
import { verifiedParams } from './handlers.js';
import type { TwilioParams } from './signature.js';

const CallSid = z.string().regex(/^CA[0-9a-fA-F]{32}$/);
const Digits = z.string().regex(/^\d{1,9}$/);

/** The parameters of a voice status callback (`statusCallbackEvent` initiated, ringing, answered, completed) the connector reads. */
export const VoiceStatusCallbackParams = z.object({
  CallSid,
  CallStatus: z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled']),
  From: z.string().max(256).default(''),
  To: z.string().max(256).default(''),
  Direction: z.string().max(32).optional(),
  ParentCallSid: CallSid.optional(),
  /** When the event happened (RFC 2822); absent on the final callback of older accounts. */
  Timestamp: z.string().max(64).optional(),
  /** Talk time, seconds (the `completed` callback). */
  CallDuration: Digits.optional(),
  SipResponseCode: Digits.optional(),
  SequenceNumber: Digits.optional(),
  RecordingSid: z
    .string()
    .regex(/^RE[0-9a-fA-F]{32}$/)
    .optional(),
});

/** The parameters of a recording status callback the connector reads (never `RecordingUrl`). */
export const RecordingStatusCallbackParams = z.object({
  RecordingSid: z.string().regex(/^RE[0-9a-fA-F]{32}$/),
  RecordingStatus: z.enum(['in-progress', 'completed', 'absent', 'failed']),
  CallSid: CallSid.optional(),
  RecordingDuration: Digits.optional(),
  RecordingStartTime: z.string().max(64).optional(),
  ErrorCode: Digits.optional(),
});

/** What a `call.recording.*` event carries: the call, the recording reference and its state. */
export interface CallRecordingEvent {
  callId: string | undefined;
  recordingId: string;
  /** `twilio:recordings/RE…`: what `downloadRecording` takes. Never the media URL. */
  recordingUrl: string;
  status: 'in-progress' | 'completed' | 'absent' | 'failed';
  durationSec?: number;
  startedAt?: string;
  recordingConsent?: boolean;
}

function parse<S extends z.ZodType>(schema: S, event: WebhookEvent, what: string, connector: string): z.output<S> {
  const data = event.data !== null && typeof event.data === 'object' && !Array.isArray(event.data) ? event.data : {};
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = toValidationIssues(result.error);
  throw new ValidationError(`${what} is malformed: ${formatIssues(issues)}`, { connector, issues });
}

const first = (value: string | readonly string[] | undefined) => (typeof value === 'string' ? value : value?.[0]);
const token = (value: string | undefined, pattern: RegExp) => (value !== undefined && pattern.test(value) ? value : undefined);

/**
 * The envelope of an authentic voice callback, keyed by CallSid (or RecordingSid), status and
 * sequence number, so Twilio's retries deduplicate and each transition is its own event. Whatever
 * its shape once the signature verified, it is stored (a callback without a usable SID is keyed by
 * the SHA-256 of its bytes) and a mapping failure goes to the dead-letter queue. `RecordingUrl` is
 * dropped here: the SID is enough to download, and the URL is not kept anywhere.
 */
function envelope(request: WebhookRequest, ctx: TwilioContext, kind: 'call' | 'recording'): WebhookEvent[] {
  const params: TwilioParams = verifiedParams(request, ctx);
  const sidName = kind === 'call' ? 'CallSid' : 'RecordingSid';
  const sid = token(first(params[sidName]), /^[A-Za-z0-9]{1,64}$/);
  const key = sid ?? `sha256:${createHash('sha256').update(request.rawBody).digest('hex')}`;
  const status = token(first(params[kind === 'call' ? 'CallStatus' : 'RecordingStatus']), /^[a-z-]{1,32}$/) ?? 'unknown';
  const sequence = token(first(params.SequenceNumber), /^\d{1,9}$/);
  const data: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(params)) if (name !== 'RecordingUrl') data[name] = value;
  return [
    {
      id: `${key}:${status}${sequence !== undefined ? `:${sequence}` : ''}`,
      type: kind === 'call' ? 'twilio.voice_status_callback' : 'twilio.recording_status_callback',
      occurredAt: ctx.now().toISOString(),
      data,
    },
  ];
}

/** Verifies a voice status callback and returns it unmapped (the `verify` half of the webhook). */
export function receiveVoiceStatusCallback(request: WebhookRequest, ctx: TwilioContext): WebhookEvent[] {
  return envelope(request, ctx, 'call');
}

/** Verifies a recording status callback and returns it unmapped. */
export function receiveRecordingStatusCallback(request: WebhookRequest, ctx: TwilioContext): WebhookEvent[] {
  return envelope(request, ctx, 'recording');
}

const EVENT_OF: Record<z.infer<typeof VoiceStatusCallbackParams>['CallStatus'], string> = {
  queued: 'call.initiated',
  initiated: 'call.initiated',
  ringing: 'call.ringing',
  'in-progress': 'call.answered',
  completed: 'call.completed',
  busy: 'call.busy',
  failed: 'call.failed',
  'no-answer': 'call.no-answer',
  canceled: 'call.canceled',
};

/**
 * Maps a verified voice status callback to `call.initiated`, `call.ringing`, `call.answered` or
 * the final `call.completed` / `call.busy` / `call.no-answer` / `call.canceled` / `call.failed`,
 * carrying the call as a CallRecord with the same `id` (the CallSid) every time, attributed like
 * every call (E.164, contact, campaign). The final one has `durationSec` (talk time), `answeredAt`
 * (end − talk time) and the hangup cause (from the SIP response code when Twilio sends one).
 * Each callback is read on its own, so `startedAt` and `ringSec` are only on the records of the
 * `calls` stream, which sees the whole call.
 */
export async function mapVoiceStatusCallback(event: WebhookEvent, ctx: TwilioContext): Promise<WebhookEvent[]> {
  const p = parse(VoiceStatusCallbackParams, event, 'voice status callback', ctx.connector);
  const at = isoFromTwilio(p.Timestamp) ?? event.occurredAt ?? ctx.now().toISOString();
  const status = toCallStatus(p.CallStatus);
  const final = !['ringing', 'in-progress'].includes(status);
  const talk = p.CallDuration !== undefined ? Number(p.CallDuration) : undefined;
  const answered = status === 'completed' && talk !== undefined;
  const cause = final
    ? causeOfStatus(status, p.SipResponseCode !== undefined ? Number(p.SipResponseCode) : undefined)
    : undefined;
  const record: CallRecord = {
    id: p.CallSid,
    source: { system: 'twilio', id: p.CallSid },
    direction: toCallDirection(p.Direction),
    from: p.From,
    to: p.To,
    status,
    ...(p.CallStatus === 'initiated' || p.CallStatus === 'queued' ? { startedAt: at } : {}),
    ...(status === 'in-progress' && { answeredAt: at }),
    ...(final && { endedAt: at, durationSec: answered ? talk : 0 }),
    ...(answered && { answeredAt: new Date(Date.parse(at) - talk * 1000).toISOString() }),
    ...(cause && { hangupCause: cause }),
    ...(p.RecordingSid !== undefined && {
      recordingUrl: recordingRef(p.RecordingSid),
      ...(ctx.voice.recordingAnnounced !== undefined && { recordingConsent: ctx.voice.recordingAnnounced }),
    }),
  };
  const type = p.ParentCallSid ? `call.leg.${EVENT_OF[p.CallStatus].slice(5)}` : EVENT_OF[p.CallStatus];
  return [{ id: event.id, type, occurredAt: at, data: await attributeTwilioCall(record, ctx) }];
}

/**
 * Maps a verified recording status callback to `call.recording.completed` (or `.in-progress`,
 * `.absent`, `.failed`): the call's id, an opaque recording reference for `downloadRecording`
 * and the recording's duration; `recordingConsent` from `voice.recordingAnnounced`.
 */
export function mapRecordingStatusCallback(event: WebhookEvent, ctx: TwilioContext): WebhookEvent[] {
  const p = parse(RecordingStatusCallbackParams, event, 'recording status callback', ctx.connector);
  const startedAt = isoFromTwilio(p.RecordingStartTime);
  const data: CallRecordingEvent = {
    callId: p.CallSid,
    recordingId: p.RecordingSid,
    recordingUrl: recordingRef(p.RecordingSid),
    status: p.RecordingStatus,
    ...(p.RecordingDuration !== undefined && { durationSec: Number(p.RecordingDuration) }),
    ...(startedAt !== undefined && { startedAt }),
    ...(ctx.voice.recordingAnnounced !== undefined && { recordingConsent: ctx.voice.recordingAnnounced }),
  };
  return [
    { id: event.id, type: `call.recording.${p.RecordingStatus}`, occurredAt: event.occurredAt ?? ctx.now().toISOString(), data },
  ];
}
