import { type CallRecord, q850Cause } from '@hmi/core';
import * as v from 'valibot';
import { pattern, upTo, noArrays } from '../schema-kit.js';

// The parts of Twilio's v2010 Call and Recording resources the connector reads; every other field
// passes through (validate what we use, tolerate what we don't).

/** Twilio's call statuses. */
export const TwilioCallStatus = v.picklist([
  'queued',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
]);
/** A Twilio call status. */
export type TwilioCallStatus = v.InferOutput<typeof TwilioCallStatus>;

/** An optional, nullable string of at most `max` characters (how Twilio sends absent fields). */
const maybe = (max: number) => v.nullish(upTo(max));

/** A v2010 Call resource (`/Calls/{Sid}.json`, and each item of `/Calls.json`). */
export const TwilioCallResource = noArrays(
  v.looseObject({
    sid: pattern(/^CA[0-9a-fA-F]{32}$/),
    parent_call_sid: maybe(64),
    to: maybe(256),
    from: maybe(256),
    status: TwilioCallStatus,
    direction: maybe(32),
    start_time: maybe(64),
    end_time: maybe(64),
    duration: v.nullish(pattern(/^\d{1,9}$/)),
  }),
);
/** A Twilio Call resource. */
export type TwilioCallResource = v.InferOutput<typeof TwilioCallResource>;

/** A page of `GET /Calls.json`. */
export const TwilioCallPage = noArrays(
  v.looseObject({
    calls: v.pipe(v.array(TwilioCallResource), v.maxLength(1000)),
    next_page_uri: maybe(4096),
  }),
);

/** How Twilio names a call's direction → the canonical direction. */
export function toCallDirection(direction: string | null | undefined): CallRecord['direction'] {
  if (direction === 'inbound' || direction === 'trunking-terminating') return 'inbound';
  return 'outbound'; // outbound-api, outbound-dial, trunking-originating
}

/** Canonical status of a Twilio call status (`queued` is still ringing from the CRM's view). */
export function toCallStatus(status: TwilioCallStatus | 'initiated'): CallRecord['status'] {
  return status === 'queued' || status === 'initiated' ? 'ringing' : status;
}

/**
 * The Q.850 cause Twilio implies by a call's final status (Twilio reports no cause code; a SIP
 * response code, when a status callback carries one, is more exact: {@link sipToQ850}).
 */
export function causeOfStatus(status: CallRecord['status'], sipCode?: number): CallRecord['hangupCause'] {
  if (sipCode !== undefined && sipCode >= 300) {
    const mapped = sipToQ850(sipCode);
    if (mapped !== undefined) return q850Cause(mapped);
  }
  switch (status) {
    case 'completed':
    case 'canceled':
      return q850Cause(16);
    case 'busy':
      return q850Cause(17);
    case 'no-answer':
      return q850Cause(19);
    case 'failed':
      return q850Cause(41);
    default:
      return undefined;
  }
}

// RFC 3398 §8.2.6.1: SIP final responses → Q.850 causes (the ones a call centre meets).
const SIP_TO_Q850: Readonly<Record<number, number>> = {
  403: 21,
  404: 1,
  408: 102,
  410: 22,
  480: 18,
  484: 28,
  486: 17,
  487: 16,
  488: 58,
  500: 41,
  503: 34,
  504: 102,
  600: 17,
  603: 21,
  604: 1,
};

/** The Q.850 cause for a SIP final response code (RFC 3398), when it has one. */
export function sipToQ850(sipCode: number): number | undefined {
  return SIP_TO_Q850[sipCode];
}

/** Twilio's RFC 2822 date (`Thu, 24 Aug 2023 05:01:45 +0000`) as ISO 8601, or undefined. */
export function isoFromTwilio(date: string | null | undefined): string | undefined {
  if (!date) return undefined;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** `client:1001` → `1001`: a Twilio Client identity is the agent; a phone number is not. */
function agentOf(address: string | null | undefined): string | undefined {
  return address?.startsWith('client:') ? address.slice(7) : undefined;
}

/**
 * Maps a Call resource to a CallRecord (numbers as Twilio sent them; attribution normalises them).
 * Twilio's `duration` is talk time; its `start_time` is when the call was placed (ringing
 * included), so `answeredAt` = end − duration and `ringSec` = answered − start.
 */
export function toCallRecord(call: TwilioCallResource): CallRecord {
  const status = toCallStatus(call.status);
  const startedAt = isoFromTwilio(call.start_time);
  const endedAt = isoFromTwilio(call.end_time);
  const ended = endedAt !== undefined && !['ringing', 'in-progress'].includes(status);
  const talk = call.duration != null ? Number(call.duration) : undefined;
  const answered = status === 'completed' && talk !== undefined && endedAt !== undefined;
  const answeredMs = answered ? Date.parse(endedAt) - talk * 1000 : undefined;
  const startMs = startedAt !== undefined ? Date.parse(startedAt) : undefined;
  const ringEndMs = answeredMs ?? (ended ? Date.parse(endedAt) : undefined);
  const agent = agentOf(call.from) ?? agentOf(call.to);
  const cause = ended ? causeOfStatus(status) : undefined;
  return {
    id: call.sid,
    source: { system: 'twilio', id: call.sid },
    direction: toCallDirection(call.direction),
    from: call.from ?? '',
    to: call.to ?? '',
    status,
    ...(startedAt !== undefined && { startedAt }),
    ...(answeredMs !== undefined && { answeredAt: new Date(Math.max(answeredMs, startMs ?? answeredMs)).toISOString() }),
    ...(ended && { endedAt }),
    ...(ended && { durationSec: answered ? talk : 0 }),
    ...(startMs !== undefined && ringEndMs !== undefined && { ringSec: Math.max(0, (ringEndMs - startMs) / 1000) }),
    ...(cause && { hangupCause: cause }),
    ...(agent !== undefined && { agent }),
  };
}

/** The opaque reference a CallRecord carries for a Twilio recording (never its media URL). */
export function recordingRef(recordingSid: string): string {
  return `twilio:recordings/${recordingSid}`;
}
