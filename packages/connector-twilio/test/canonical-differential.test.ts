import { readFileSync } from 'node:fs';
// The connector validates its canonical outputs with its own valibot schemas (src/canonical.ts)
// so that importing it never loads zod. The core's zod model stays the reference: every Message
// and CallRecord the connector produces from its fixtures must pass both, to the same output, and
// both must refuse the same broken records — so the two cannot drift apart.
import type { CallRecord, Message, WebhookEvent } from '@hmi/core';
import { CallRecord as ZodCallRecord, Message as ZodMessage } from '@hmi/core/schemas';
import { callSid, recordingSid, rfc2822, signedTwilioWebhook } from '@hmi/connector-twilio/msw';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallRecordSchema, MessageSchema } from '../src/canonical.js';
import { AUTH_TOKEN, connectorFor, startFakeTwilio } from './harness.js';
import { TWILIO_SPEC_PATH } from './twilio-spec.js';
import type { TwilioCallStatus } from '../src/calls/twilio-call.js';
import type { TwilioMessageStatus } from '../src/messages/twilio-message.js';

const TRACKING = '+966920001234';
const PATIENT = '+966555123456';
// Every status Twilio documents, read from its OpenAPI description (not a list written beside the
// code it tests): `message_enum_status` and `call_enum_status` in twilio_api_v2010.json.
const SPEC_ENUMS = (
  JSON.parse(readFileSync(TWILIO_SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, { enum: string[] }> } }
).components.schemas;
const TWILIO_STATUSES = SPEC_ENUMS.message_enum_status!.enum as TwilioMessageStatus[];
const CALL_STATUSES = SPEC_ENUMS.call_enum_status!.enum as TwilioCallStatus[];

let fake: ReturnType<typeof startFakeTwilio>;
const messages: Message[] = [];
const calls: CallRecord[] = [];

const twilio = () =>
  connectorFor(fake, {
    voice: {
      trackingNumbers: { [TRACKING]: 'cmp-ramadan-2026' },
      lookupContact: (e164) => (e164 === PATIENT ? 'patient-42' : undefined),
      recordingAnnounced: true,
    },
  });

const dataOf = (events: WebhookEvent[]) => events.filter((e) => e.type.startsWith('message.')).map((e) => e.data as Message);

beforeAll(async () => {
  fake = startFakeTwilio();
  const connector = twilio();
  const at = (iso: string) => rfc2822(new Date(iso));

  // Messages: sent (GSM-7, Arabic, scheduled, templated), read, listed, and from callbacks.
  messages.push(
    await connector.actions.sendSms({ to: '0555123456', body: 'Your appointment is at 9', purpose: 'transactional' }),
  );
  messages.push(
    await connector.actions.sendSms({
      to: PATIENT,
      body: 'موعدك غدا الساعة ٩ صباحا في العيادة',
      purpose: 'transactional',
      contactId: 'patient-42',
      scheduleAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
    }),
  );
  messages.push(
    await connector.actions.sendTemplatedSms({
      to: PATIENT,
      template: { ar: 'مرحبا {{name}}', en: 'Hello {{name}}' },
      vars: { name: 'سارة' },
      purpose: 'transactional',
    }),
  );
  for (const status of TWILIO_STATUSES) {
    const seeded = fake.state.seed({
      status,
      direction: status.startsWith('rec') ? 'inbound' : 'outbound-api',
      ...(status === 'undelivered' && { error_code: 30003 }),
      ...(status === 'received' && { to: 'whatsapp:+966112345678', from: `whatsapp:${PATIENT}` }),
      ...(status === 'scheduled' && { body: '', date_sent: null }),
    });
    messages.push(await connector.actions.getMessage({ sid: seeded.sid }));
  }
  for await (const page of connector.streams.listMessages.read({ checkpoint: { filter: { pageSize: 5 } } })) {
    messages.push(...page.records);
  }
  const statusUrl = 'https://crm.hospital.sa/twilio/status';
  for (const status of TWILIO_STATUSES) {
    const params = {
      MessageSid: `SM${'a'.repeat(32)}`,
      MessageStatus: status,
      To: PATIENT,
      From: '+966112345678',
      ErrorCode: '30005',
    };
    const request = signedTwilioWebhook({ url: statusUrl, params, authToken: AUTH_TOKEN });
    messages.push(...dataOf(await connector.webhooks.statusCallback.verify(request)));
  }
  for (const body of ['STOP', 'إيقاف', 'Hello', '']) {
    const params = { MessageSid: `SM${'b'.repeat(32)}`, From: PATIENT, To: '+966112345678', Body: body };
    const request = signedTwilioWebhook({ url: statusUrl, params, authToken: AUTH_TOKEN });
    messages.push(...dataOf(await connector.webhooks.inboundSms.verify(request)));
  }

  // Calls: every status, inbound to a tracking number and outbound from an agent; read, listed,
  // recorded, and from voice callbacks.
  for (const [i, status] of CALL_STATUSES.entries()) {
    const open = status === 'queued' || status === 'ringing' || status === 'in-progress';
    const call = fake.state.seedCall({
      status,
      direction: i % 2 ? 'inbound' : 'outbound-api',
      from: i % 2 ? PATIENT : 'client:1001',
      to: i % 2 ? TRACKING : '+971501234567',
      start_time: at(`2026-03-01T08:${10 + i}:00Z`),
      end_time: open ? null : at(`2026-03-01T08:${10 + i}:45Z`),
      duration: open ? null : status === 'completed' ? '30' : '0',
    });
    calls.push(await connector.actions.getCall({ sid: call.sid }));
    if (status === 'completed') fake.state.seedRecording({ call_sid: call.sid, date_created: at('2026-03-01T08:20:00Z') });
  }
  for await (const page of connector.streams.calls.read({})) calls.push(...page.records);
  for await (const page of connector.streams.recordings.read({})) calls.push(...page.records);
  const voiceUrl = 'https://crm.hospital.sa/twilio/voice';
  for (const [i, status] of ['initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed'].entries()) {
    const params = {
      CallSid: callSid(90),
      CallStatus: status,
      From: PATIENT,
      To: TRACKING,
      Direction: 'inbound',
      SequenceNumber: String(i),
      Timestamp: 'Sun, 01 Mar 2026 08:30:00 +0000',
      ...(status === 'completed' && { CallDuration: '42', RecordingSid: recordingSid(90) }),
      ...(status === 'busy' && { SipResponseCode: '486' }),
    };
    const request = signedTwilioWebhook({ url: voiceUrl, params, authToken: AUTH_TOKEN });
    for (const event of await connector.webhooks.voiceStatusCallback.verify(request)) calls.push(event.data as CallRecord);
  }
});
afterAll(() => fake.close());

describe('canonical outputs pass the core zod model too', () => {
  it('produced a broad sample (every status, both directions, all sources)', () => {
    expect(new Set(messages.map((m) => m.status)).size).toBeGreaterThanOrEqual(10);
    expect(new Set(messages.map((m) => m.direction))).toEqual(new Set(['inbound', 'outbound']));
    expect(new Set(calls.map((c) => c.status)).size).toBe(7);
    expect(calls.some((c) => c.recordingUrl !== undefined && c.hangupCause !== undefined)).toBe(true);
  });

  it('every Message: valibot and zod accept it, with the same output', () => {
    for (const message of messages) {
      const zod = ZodMessage.safeParse(message);
      expect(zod.error).toBeUndefined();
      expect(v.parse(MessageSchema, message)).toEqual(zod.data);
    }
  });

  it('every CallRecord: valibot and zod accept it, with the same output', () => {
    for (const call of calls) {
      const zod = ZodCallRecord.safeParse(call);
      expect(zod.error).toBeUndefined();
      expect(v.parse(CallRecordSchema, call)).toEqual(zod.data);
    }
  });
});

// Broken variants of real outputs: both schemas must refuse (or accept) each one alike.
const MESSAGE_MUTATIONS: Array<[string, (m: Message) => unknown]> = [
  ['no id', ({ id: _, ...m }) => m],
  ['an unknown status', (m) => ({ ...m, status: 'lost' })],
  ['an unknown channel', (m) => ({ ...m, channel: 'fax' })],
  ['an empty recipient', (m) => ({ ...m, to: '' })],
  ['a bad createdAt', (m) => ({ ...m, createdAt: 'yesterday' })],
  ['fractional segments', (m) => ({ ...m, segments: { encoding: 'GSM-7', segments: 1.5, units: 3 } })],
  ['an unknown encoding', (m) => ({ ...m, segments: { encoding: 'UTF-8', segments: 1, units: 3 } })],
  ['a numeric error code', (m) => ({ ...m, errorCode: 30003 })],
  ['a null body', (m) => ({ ...m, body: null })],
  ['a source without id', (m) => ({ ...m, source: { system: 'twilio' } })],
  ['an extra field (stripped)', (m) => ({ ...m, extra: 'x' })],
];
const CALL_MUTATIONS: Array<[string, (c: CallRecord) => unknown]> = [
  ['no from', ({ from: _, ...c }) => c],
  ['an unknown status', (c) => ({ ...c, status: 'dropped' })],
  ['an internal direction', (c) => ({ ...c, direction: 'internal' })],
  ['a negative duration', (c) => ({ ...c, durationSec: -1 })],
  ['an infinite ring time', (c) => ({ ...c, ringSec: Number.POSITIVE_INFINITY })],
  ['a hangup cause over 127', (c) => ({ ...c, hangupCause: { code: 128, name: 'X' } })],
  ['a long cause name', (c) => ({ ...c, hangupCause: { code: 16, name: 'X'.repeat(65) } })],
  ['a bad endedAt', (c) => ({ ...c, endedAt: 'later' })],
  ['a string consent flag', (c) => ({ ...c, recordingConsent: 'yes' })],
  ['an extra field (stripped)', (c) => ({ ...c, extra: 1 })],
];

describe('the schemas refuse the same broken records', () => {
  it.each(MESSAGE_MUTATIONS)('Message with %s', (_label, mutate) => {
    for (const message of messages.slice(0, 8)) {
      const broken = mutate(message);
      const zod = ZodMessage.safeParse(broken);
      const valibot = v.safeParse(MessageSchema, broken);
      expect(valibot.success).toBe(zod.success);
      if (zod.success) expect(valibot.output).toEqual(zod.data);
    }
  });

  it.each(CALL_MUTATIONS)('CallRecord with %s', (_label, mutate) => {
    for (const call of calls.slice(0, 8)) {
      const broken = mutate(call);
      const zod = ZodCallRecord.safeParse(broken);
      const valibot = v.safeParse(CallRecordSchema, broken);
      expect(valibot.success).toBe(zod.success);
      if (zod.success) expect(valibot.output).toEqual(zod.data);
    }
  });
});
