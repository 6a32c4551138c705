// Twilio Voice requests, the fake's responses and the hand-written fixtures, checked against
// Twilio's own OpenAPI description (twilio_api_v2010.json, read through findSpecsDir).
import type { CallsCheckpoint } from '@hmi/connector-twilio';
import { callSid, rfc2822, twilioCallFixture, twilioRecordingFixture } from '@hmi/connector-twilio/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorFor, startFakeTwilio } from './harness.js';
import {
  validateCallPage,
  validateCallResource,
  validateRecordingPage,
  validateRecordingResource,
  validateVoiceRequest,
} from './twilio-spec.js';

let fake: ReturnType<typeof startFakeTwilio>;
const responses: Array<{ path: string; status: number; body: unknown }> = [];

beforeAll(() => {
  fake = startFakeTwilio();
  fake.server.events.on('response:mocked', async ({ request, response }) => {
    if (!(response.headers.get('content-type') ?? '').includes('json')) return;
    responses.push({ path: new URL(request.url).pathname, status: response.status, body: await response.clone().json() });
  });
});
afterEach(() => {
  fake.state.calls.clear();
  fake.state.recordings.clear();
  fake.requests.length = 0;
  responses.length = 0;
});
afterAll(() => fake.close());

describe('the validator judges voice data (so a pass means something)', () => {
  it('rejects broken calls, recordings and queries', () => {
    expect(validateCallResource({ ...twilioCallFixture(), status: 'ringing-loudly' }).valid).toBe(false);
    expect(validateCallResource({ ...twilioCallFixture(), start_time: '2026-03-01T08:30:00Z' }).valid).toBe(false);
    expect(validateRecordingResource({ ...twilioRecordingFixture(), source: 'Telepathy' }).valid).toBe(false);
    expect(validateRecordingResource({ ...twilioRecordingFixture(), channels: '1' }).valid).toBe(false);
    const calls = '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls.json';
    expect(validateVoiceRequest(`${calls}?StartTimeAfter=2026-03-01`).valid).toBe(false);
    expect(validateVoiceRequest(`${calls}?StartTime%3E=yesterday`).valid).toBe(false);
    expect(validateVoiceRequest(`${calls}?PageSize=5000`).valid).toBe(false);
  });
});

describe('voice requests and responses match Twilio’s OpenAPI description', () => {
  it('hand-written fixtures', () => {
    for (const call of [
      twilioCallFixture(),
      twilioCallFixture({ status: 'busy', duration: '0', direction: 'outbound-api', from: 'client:1001' }),
      twilioCallFixture({ status: 'in-progress', end_time: null, duration: null }),
      twilioCallFixture({ parent_call_sid: callSid(9), direction: 'outbound-dial' }),
    ])
      expect(validateCallResource(call).errors).toEqual([]);
    expect(validateRecordingResource(twilioRecordingFixture()).errors).toEqual([]);
  });

  it('the calls and recordings streams and getCall: every request and every JSON response', async () => {
    const twilio = connectorFor(fake, { voice: { trackingNumbers: { '+966920001234': 'cmp' } } });
    for (let i = 0; i < 5; i++) {
      const call = fake.state.seedCall({
        start_time: rfc2822(new Date(Date.parse('2026-03-01T08:00:00Z') + i * 60_000)),
        end_time: rfc2822(new Date(Date.parse('2026-03-01T08:00:30Z') + i * 60_000)),
        duration: '20',
      });
      fake.state.seedRecording({ call_sid: call.sid });
    }
    let checkpoint: CallsCheckpoint = { pageSize: 2, skip: [] };
    for await (const page of twilio.streams.calls.read({ checkpoint })) checkpoint = page.checkpoint;
    for await (const _ of twilio.streams.calls.read({ checkpoint })) {
      // the incremental read: StartTime> the newest call
    }
    for await (const _ of twilio.streams.recordings.read({ checkpoint: { pageSize: 3, skip: [], newestSids: [] } })) {
      // drain
    }
    await twilio.actions.getCall({ sid: callSid(1) });
    const gets = fake.requests.filter((r) => r.method === 'GET');
    expect(gets.some((r) => r.url.includes('StartTime%3E='))).toBe(true);
    expect(gets.some((r) => r.url.includes('PageToken='))).toBe(true);
    expect(gets.filter((r) => r.url.includes('/Recordings.json')).length).toBeGreaterThan(1);
    for (const get of gets) expect(validateVoiceRequest(get.url).errors, get.url).toEqual([]);
    const ok = responses.filter((r) => r.status === 200);
    expect(ok.length).toBe(gets.length);
    for (const r of ok) {
      const result = r.path.endsWith('/Calls.json')
        ? validateCallPage(r.body)
        : r.path.endsWith('/Recordings.json')
          ? validateRecordingPage(r.body)
          : validateCallResource(r.body);
      expect(result.errors, r.path).toEqual([]);
    }
  });
});
