// Voice and recording status callbacks, signed by Twilio's OFFICIAL library (the root
// devDependency `twilio`) and checked by hmi — and the other way round.
import { type CallRecord, ValidationError, WebhookVerificationError, createTelemetry } from '@hmi/core';
import { type CallRecordingEvent, createTwilioConnector } from '@hmi/connector-twilio';
import {
  FIXTURE_ACCOUNT_SID,
  FIXTURE_MESSAGING_SERVICE_SID,
  callSid,
  recordingSid,
  signedTwilioWebhook,
} from '@hmi/connector-twilio/msw';
import { expectNoLeaks } from '@hmi/testing';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { AUTH_TOKEN, rejection } from './harness.js';

const VOICE_URL = 'https://crm.hospital.sa/twilio/voice-status?tenant=riyadh';
const RECORDING_URL = 'https://crm.hospital.sa/twilio/recording-status';
const TRACKING = '+966920001234';
const PATIENT = '+966555123456';
const CALL = callSid(7);
const RECORDING = recordingSid(7);
const MEDIA = `https://api.twilio.com/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Recordings/${RECORDING}`;

function connector(telemetry = createTelemetry()) {
  return createTwilioConnector(
    {
      accountSid: FIXTURE_ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      messagingServiceSid: FIXTURE_MESSAGING_SERVICE_SID,
      now: () => new Date('2026-03-01T09:00:00Z'),
      voice: {
        trackingNumbers: { [TRACKING]: 'cmp-ramadan-2026' },
        lookupContact: (e164) => (e164 === PATIENT ? 'patient-42' : undefined),
        recordingAnnounced: true,
      },
    },
    { telemetry },
  );
}

/** A callback exactly as Twilio sends it, signed by the official library. */
function officiallySigned(url: string, params: Record<string, string>): Request {
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params);
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

function voiceParams(status: string, sequence: number, extra: Record<string, string> = {}) {
  return {
    AccountSid: FIXTURE_ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: CALL,
    CallStatus: status,
    CallbackSource: 'call-progress-events',
    Called: TRACKING,
    Caller: PATIENT,
    Direction: 'inbound',
    From: PATIENT,
    FromCountry: 'SA',
    SequenceNumber: String(sequence),
    Timestamp: new Date(Date.parse('2026-03-01T08:30:00Z') + sequence * 6000).toUTCString().replace('GMT', '+0000'),
    To: TRACKING,
    ...extra,
  };
}

describe('voice status callbacks signed by the official twilio library', () => {
  it('initiated → ringing → answered → completed: one CallRecord id, attributed, talk time and cause', async () => {
    const hmi = connector();
    const steps: Array<[string, Record<string, string>]> = [
      ['initiated', {}],
      ['ringing', {}],
      ['in-progress', {}],
      ['completed', { CallDuration: '95', SipResponseCode: '200', RecordingSid: RECORDING, RecordingUrl: MEDIA }],
    ];
    const events = [];
    for (const [index, [status, extra]] of steps.entries()) {
      const [event] = await hmi.webhooks.voiceStatusCallback.verify(
        officiallySigned(VOICE_URL, voiceParams(status, index, extra)),
      );
      events.push(event!);
    }
    expect(events.map((e) => e.type)).toEqual(['call.initiated', 'call.ringing', 'call.answered', 'call.completed']);
    expect(new Set(events.map((e) => e.id)).size).toBe(4); // each transition is its own event
    const records = events.map((e) => e.data as CallRecord);
    expect(new Set(records.map((r) => r.id))).toEqual(new Set([CALL]));
    expect(records[0]).toMatchObject({ status: 'ringing', startedAt: '2026-03-01T08:30:00.000Z' });
    expect(records[2]).toMatchObject({ status: 'in-progress', answeredAt: '2026-03-01T08:30:12.000Z' });
    expect(records[3]).toMatchObject({
      direction: 'inbound',
      status: 'completed',
      from: PATIENT,
      to: TRACKING,
      endedAt: '2026-03-01T08:30:18.000Z',
      durationSec: 95,
      hangupCause: { code: 16, name: 'NORMAL_CLEARING' },
      contactId: 'patient-42',
      campaignId: 'cmp-ramadan-2026',
      trackingNumber: TRACKING,
      recordingUrl: `twilio:recordings/${RECORDING}`,
      recordingConsent: true,
    });
    for (const record of records) expect(JSON.stringify(record)).not.toContain(MEDIA);
  });

  it.each([
    ['busy', '486', 17],
    ['no-answer', '480', 18],
    ['failed', '404', 1],
    ['canceled', '487', 16],
  ])('a %s call (SIP %s) ends with Q.850 cause %i', async (status, sip, cause) => {
    const [event] = await connector().webhooks.voiceStatusCallback.verify(
      officiallySigned(VOICE_URL, voiceParams(status, 3, { SipResponseCode: sip, CallDuration: '0' })),
    );
    expect(event?.type).toBe(`call.${status}`);
    expect(event?.data).toMatchObject({ status, durationSec: 0, hangupCause: { code: cause } });
  });

  it('hmi-signed fixtures pass the official validator; tampered parameters are refused by both', async () => {
    const params = voiceParams('completed', 3, { CallDuration: '95' });
    const request = signedTwilioWebhook({ url: VOICE_URL, params, authToken: AUTH_TOKEN });
    const signature = request.headers.get('x-twilio-signature')!;
    expect(twilio.validateRequest(AUTH_TOKEN, signature, VOICE_URL, params)).toBe(true);
    await expect(connector().webhooks.voiceStatusCallback.verify(request)).resolves.toHaveLength(1);

    const tampered = { ...params, CallDuration: '9500', From: '+966500000000' };
    expect(twilio.validateRequest(AUTH_TOKEN, signature, VOICE_URL, tampered)).toBe(false);
    const forged = new Request(VOICE_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(tampered).toString(),
    });
    const error = await rejection(connector().webhooks.voiceStatusCallback.verify(forged));
    expect(error).toBeInstanceOf(WebhookVerificationError);
    // Signed by another account's token, or for another URL: refused.
    const otherToken = twilio.getExpectedTwilioSignature('another-token-123', VOICE_URL, params);
    const wrongKey = new Request(VOICE_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': otherToken },
      body: new URLSearchParams(params).toString(),
    });
    expect(await rejection(connector().webhooks.voiceStatusCallback.verify(wrongKey))).toBeInstanceOf(WebhookVerificationError);
    const moved = officiallySigned('https://crm.hospital.sa/twilio/other', params);
    const replayed = new Request(VOICE_URL, { method: 'POST', headers: moved.headers, body: await moved.text() });
    expect(await rejection(connector().webhooks.voiceStatusCallback.verify(replayed))).toBeInstanceOf(WebhookVerificationError);
  });

  it('an authentic callback of an unexpected shape is stored; its mapping fails with a typed error (the DLQ)', async () => {
    const hmi = connector();
    const odd = { AccountSid: FIXTURE_ACCOUNT_SID, CallStatus: 'teleported', From: PATIENT };
    const envelopes = await hmi.webhooks.voiceStatusCallback.receive(officiallySigned(VOICE_URL, odd));
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]?.id).toMatch(/^sha256:[0-9a-f]{64}:teleported$/);
    const error = await rejection(hmi.webhooks.voiceStatusCallback.map(envelopes[0]!));
    expect(error).toBeInstanceOf(ValidationError);
    expectNoLeaks([error], [PATIENT, '555123456']);
  });
});

describe('recording status callbacks', () => {
  it('completed: the call, an opaque reference (never RecordingUrl), duration and consent', async () => {
    const params = {
      AccountSid: FIXTURE_ACCOUNT_SID,
      CallSid: CALL,
      RecordingSid: RECORDING,
      RecordingUrl: MEDIA,
      RecordingStatus: 'completed',
      RecordingDuration: '95',
      RecordingChannels: '1',
      RecordingSource: 'DialVerb',
      RecordingStartTime: 'Sun, 01 Mar 2026 08:30:06 +0000',
    };
    const [event] = await connector().webhooks.recordingStatusCallback.verify(officiallySigned(RECORDING_URL, params));
    expect(event?.type).toBe('call.recording.completed');
    expect(event?.id).toBe(`${RECORDING}:completed`);
    const data = event?.data as CallRecordingEvent;
    expect(data).toEqual({
      callId: CALL,
      recordingId: RECORDING,
      recordingUrl: `twilio:recordings/${RECORDING}`,
      status: 'completed',
      durationSec: 95,
      startedAt: '2026-03-01T08:30:06.000Z',
      recordingConsent: true,
    });
    expect(JSON.stringify(event)).not.toContain(MEDIA);
  });

  it('refuses tampering and never quotes the recording URL or the numbers in errors or telemetry', async () => {
    const telemetry = createTelemetry();
    const seen: string[] = [];
    telemetry.onAny((name, payload) => seen.push(`${name} ${JSON.stringify(payload)}`));
    const hmi = connector(telemetry);
    const params = {
      AccountSid: FIXTURE_ACCOUNT_SID,
      RecordingSid: RECORDING,
      RecordingUrl: MEDIA,
      RecordingStatus: 'completed',
    };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, RECORDING_URL, params);
    const swapped = { ...params, RecordingUrl: 'https://evil.example/steal' };
    const errors: unknown[] = [];
    errors.push(
      await rejection(
        hmi.webhooks.recordingStatusCallback.verify(
          new Request(RECORDING_URL, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
            body: new URLSearchParams(swapped).toString(),
          }),
        ),
      ),
    );
    expect(errors[0]).toBeInstanceOf(WebhookVerificationError);
    // Authentic but malformed (no status): the mapping fails, without quoting what it read.
    const bad = { ...params, RecordingStatus: 'exploded', From: PATIENT };
    errors.push(await rejection(hmi.webhooks.recordingStatusCallback.verify(officiallySigned(RECORDING_URL, bad))));
    expect(errors[1]).toBeInstanceOf(ValidationError);
    errors.push(
      await rejection(
        hmi.webhooks.voiceStatusCallback.verify(
          officiallySigned(VOICE_URL, { ...voiceParams('completed', 1), CallDuration: 'x' }),
        ),
      ),
    );
    expectNoLeaks([...errors, ...seen], [MEDIA, RECORDING, AUTH_TOKEN, PATIENT, '555123456']);
  });
});
