import type { CallRecord, WebhookEvent, WebhookRequest } from '@hmi/core';
import * as v from 'valibot';
import { pattern, upTo, noArrays } from '../schema-kit.js';
import { parseParams } from './parse-params.js';
import { attributeTwilioCall } from '../calls/attribution.js';
import { causeOfStatus, isoFromTwilio, recordingRef, toCallDirection, toCallStatus } from '../calls/twilio-call.js';
import { sha256Hex } from '../sha256.js';
import type { TwilioContext } from '../twilio-context.js';
import { verifiedParams } from './handlers.js';
import type { TwilioParams } from './signature.js';

const CallSid = () => pattern(/^CA[0-9a-fA-F]{32}$/);
const RecordingSid = () => pattern(/^RE[0-9a-fA-F]{32}$/);
const Digits = () => pattern(/^\d{1,9}$/);

/** The parameters of a voice status callback (`statusCallbackEvent` initiated, ringing, answered, completed) the connector reads. */
export const VoiceStatusCallbackParams = noArrays(
  v.object({
    CallSid: CallSid(),
    CallStatus: v.picklist([
      'queued',
      'initiated',
      'ringing',
      'in-progress',
      'completed',
      'busy',
      'failed',
      'no-answer',
      'canceled',
    ]),
    From: v.optional(upTo(256), ''),
    To: v.optional(upTo(256), ''),
    Direction: v.optional(upTo(32)),
    ParentCallSid: v.optional(CallSid()),
    /** When the event happened (RFC 2822); absent on the final callback of older accounts. */
    Timestamp: v.optional(upTo(64)),
    /** Talk time, seconds (the `completed` callback). */
    CallDuration: v.optional(Digits()),
    SipResponseCode: v.optional(Digits()),
    SequenceNumber: v.optional(Digits()),
    RecordingSid: v.optional(RecordingSid()),
  }),
);

/** The parameters of a recording status callback the connector reads (never `RecordingUrl`). */
export const RecordingStatusCallbackParams = noArrays(
  v.object({
    RecordingSid: RecordingSid(),
    RecordingStatus: v.picklist(['in-progress', 'completed', 'absent', 'failed']),
    CallSid: v.optional(CallSid()),
    RecordingDuration: v.optional(Digits()),
    RecordingStartTime: v.optional(upTo(64)),
    ErrorCode: v.optional(Digits()),
  }),
);

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
  const key = sid ?? `sha256:${sha256Hex(request.rawBody)}`;
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

const EVENT_OF: Record<v.InferOutput<typeof VoiceStatusCallbackParams>['CallStatus'], string> = {
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
  const p = parseParams(VoiceStatusCallbackParams, event.data, 'voice status callback', ctx.connector);
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
  const p = parseParams(RecordingStatusCallbackParams, event.data, 'recording status callback', ctx.connector);
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
