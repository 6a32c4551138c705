// Recordings are PHI: their SIDs, media URLs and bytes, and the callers' numbers, never reach
// telemetry or errors — on success, on every failure of a download, and through the streams.
import { Writable } from 'node:stream';
import { createTelemetry } from '@hmi/core';
import { FAKE_TWILIO_MEDIA_ORIGIN, FIXTURE_ACCOUNT_SID } from '@hmi/connector-twilio/msw';
import { expectNoLeaks } from '@hmi/testing';
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { AUTH_TOKEN, BASE_URL, connectorFor, rejection, startFakeTwilio } from './harness.js';

const PATIENT = '+966555123456';
const AUDIO = 'CANARY-AUDIO-fatima-alharbi';

let fake: ReturnType<typeof startFakeTwilio>;
beforeAll(() => {
  fake = startFakeTwilio();
});
afterAll(() => fake.close());

describe('recording canaries', () => {
  it('never leak through the streams, downloads, their failures, or telemetry', async () => {
    const telemetry = createTelemetry();
    const seen: string[] = [];
    telemetry.onAny((name, payload) => seen.push(`${name} ${JSON.stringify(payload)}`));
    const twilio = connectorFor(
      fake,
      { voice: { lookupContact: () => Promise.reject(new Error(`no contact ${PATIENT}`)) } },
      telemetry,
    );
    const call = fake.state.seedCall({ from: PATIENT, to: '+966920001234' });
    const recording = fake.state.seedRecording({ call_sid: call.sid }, new TextEncoder().encode(AUDIO.repeat(4000)));
    const mediaPath = `/2010-04-01/Accounts/${FIXTURE_ACCOUNT_SID}/Recordings/${recording.sid}`;
    const errors: unknown[] = [];

    for await (const _ of twilio.streams.recordings.read({})) {
      // drain: a lookup that throws (quoting the number) leaves the call unmatched, silently
    }
    await twilio.downloadRecording(recording.sid, new WritableStream());
    // Failures: too large, a sink that throws (quoting a path), the storage answering 500, a 404,
    // the network failing, an aborted download.
    errors.push(await rejection(twilio.downloadRecording(recording.sid, new WritableStream(), { maxBytes: 10 })));
    const failing = new Writable({
      write(_chunk, _enc, callback) {
        callback(new Error(`disk full writing /phi/${recording.sid}.mp3 for ${PATIENT}`));
      },
    });
    failing.on('error', () => undefined);
    errors.push(await rejection(twilio.downloadRecording(recording.sid, failing)));
    fake.server.use(http.get(`${FAKE_TWILIO_MEDIA_ORIGIN}/:account/:file`, () => new HttpResponse(mediaPath, { status: 500 })));
    errors.push(await rejection(twilio.downloadRecording(recording.sid, new WritableStream())));
    fake.server.resetHandlers();
    errors.push(await rejection(twilio.downloadRecording(`RE${'0'.repeat(31)}9`, new WritableStream())));
    fake.server.use(http.get(`${BASE_URL}/2010-04-01/Accounts/:account/Recordings/:file`, () => HttpResponse.error()));
    errors.push(await rejection(twilio.downloadRecording(recording.sid, new WritableStream())));
    fake.server.resetHandlers();
    const controller = new AbortController();
    controller.abort();
    errors.push(await rejection(twilio.downloadRecording(recording.sid, new WritableStream(), { signal: controller.signal })));

    const canaries = [recording.sid, mediaPath, AUDIO, PATIENT, '555123456', AUTH_TOKEN, FAKE_TWILIO_MEDIA_ORIGIN];
    expectNoLeaks(errors, canaries);
    expectNoLeaks(seen, canaries);
    if (errors.length !== 6 || seen.length === 0) throw new Error('the scan must have something to scan');
    if (!seen.some((s) => s.startsWith('twilio:lookup-error'))) throw new Error('the failed lookup is reported');
  });
});
