import { PassThrough, Writable } from 'node:stream';
import { type CallRecord, isHmiError } from '@hmi/core';
import { CallRecord as CallRecordModel } from '@hmi/core/schemas';
import type { CallsCheckpoint, RecordingsCheckpoint } from '@hmi/connector-twilio';
import { rfc2822 } from '@hmi/connector-twilio/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorFor, rejection, startFakeTwilio } from './harness.js';

const TRACKING = '+966920001234';
const PATIENT = '+966555123456';
const at = (iso: string) => rfc2822(new Date(iso));
let fake: ReturnType<typeof startFakeTwilio>;

beforeAll(() => {
  fake = startFakeTwilio();
});
afterEach(() => {
  fake.server.resetHandlers();
  fake.state.calls.clear();
  fake.state.recordings.clear();
  fake.state.mediaAuthorizations.length = 0;
  fake.requests.length = 0;
});
afterAll(() => fake.close());

const voiceConnector = () =>
  connectorFor(fake, {
    voice: {
      trackingNumbers: { [TRACKING]: 'cmp-ramadan-2026' },
      lookupContact: (e164) => (e164 === PATIENT ? 'patient-42' : undefined),
      recordingAnnounced: true,
    },
  });

async function drainCalls(twilio: ReturnType<typeof voiceConnector>, checkpoint?: CallsCheckpoint) {
  const records: CallRecord[] = [];
  let last: CallsCheckpoint | undefined = checkpoint;
  for await (const page of twilio.streams.calls.read(checkpoint ? { checkpoint } : {})) {
    records.push(...page.records);
    last = page.checkpoint;
  }
  return { records, checkpoint: last };
}

describe('the calls stream', () => {
  it('maps calls to attributed CallRecords: talk time, ring time, causes; child legs and open calls wait', async () => {
    const inbound = fake.state.seedCall({
      start_time: at('2026-03-01T08:30:00Z'),
      end_time: at('2026-03-01T08:31:41Z'),
      duration: '95',
      from: PATIENT,
      to: TRACKING,
    });
    fake.state.seedCall({ parent_call_sid: inbound.sid, direction: 'outbound-dial', from: TRACKING, to: 'client:1001' });
    const busy = fake.state.seedCall({
      status: 'busy',
      direction: 'outbound-api',
      from: 'client:1001',
      to: '+971501234567',
      duration: '0',
      start_time: at('2026-03-01T09:00:00Z'),
      end_time: at('2026-03-01T09:00:12Z'),
    });
    const missed = fake.state.seedCall({
      status: 'no-answer',
      from: '+201001234567',
      to: TRACKING,
      duration: '0',
      start_time: at('2026-03-01T09:10:00Z'),
      end_time: at('2026-03-01T09:10:30Z'),
    });
    fake.state.seedCall({ status: 'in-progress', duration: null, end_time: null, start_time: at('2026-03-01T09:20:00Z') });

    const { records } = await drainCalls(voiceConnector(), { pageSize: 2, skip: [] });
    expect(records.map((r) => r.id).sort()).toEqual([inbound.sid, busy.sid, missed.sid].sort());
    const byId = new Map(records.map((r) => [r.id, r]));
    expect(byId.get(inbound.sid)).toEqual({
      id: inbound.sid,
      source: { system: 'twilio', id: inbound.sid },
      direction: 'inbound',
      from: PATIENT,
      to: TRACKING,
      status: 'completed',
      startedAt: '2026-03-01T08:30:00.000Z',
      answeredAt: '2026-03-01T08:30:06.000Z',
      endedAt: '2026-03-01T08:31:41.000Z',
      durationSec: 95,
      ringSec: 6,
      hangupCause: { code: 16, name: 'NORMAL_CLEARING' },
      contactId: 'patient-42',
      campaignId: 'cmp-ramadan-2026',
      trackingNumber: TRACKING,
    });
    expect(byId.get(busy.sid)).toMatchObject({
      direction: 'outbound',
      status: 'busy',
      durationSec: 0,
      ringSec: 12,
      agent: '1001',
      hangupCause: { code: 17, name: 'USER_BUSY' },
    });
    expect(byId.get(busy.sid)?.campaignId).toBeUndefined();
    expect(byId.get(missed.sid)).toMatchObject({
      status: 'no-answer',
      hangupCause: { code: 19 },
      campaignId: 'cmp-ramadan-2026',
    });
    expect(byId.get(missed.sid)?.contactId).toBeUndefined();
    for (const record of records) expect(CallRecordModel.safeParse(record).success).toBe(true);
  });

  it('is incremental: StartTime>= the newest finished call, the open call read once it ends, nothing twice', async () => {
    const twilio = voiceConnector();
    fake.state.seedCall({ start_time: at('2026-03-01T08:00:00Z'), end_time: at('2026-03-01T08:01:00Z'), duration: '50' });
    const open = fake.state.seedCall({
      status: 'in-progress',
      start_time: at('2026-03-01T08:10:00Z'),
      end_time: null,
      duration: null,
    });
    fake.state.seedCall({ start_time: at('2026-03-01T08:20:00Z'), end_time: at('2026-03-01T08:21:00Z'), duration: '40' });
    const first = await drainCalls(twilio);
    expect(first.records).toHaveLength(2);
    // The next read starts at the open call, and skips what it already delivered after it.
    expect(first.checkpoint).toMatchObject({ since: '2026-03-01T08:10:00.000Z' });
    expect(first.checkpoint?.skip).toHaveLength(1);

    Object.assign(open, { status: 'completed', end_time: at('2026-03-01T08:12:00Z'), duration: '100' });
    const later = fake.state.seedCall({
      start_time: at('2026-03-01T08:30:00Z'),
      end_time: at('2026-03-01T08:31:00Z'),
      duration: '30',
    });
    const second = await drainCalls(twilio, first.checkpoint);
    expect(second.records.map((r) => r.id).sort()).toEqual([open.sid, later.sid].sort());
    const query = new URL(`https://x${fake.requests.at(-1)!.url}`).searchParams;
    expect(query.get('StartTime>')).toBe('2026-03-01T08:10:00.000Z');
    expect((await drainCalls(twilio, second.checkpoint)).records).toEqual([]);
  });

  it('refuses a checkpoint whose next page points elsewhere (the credentials stay home)', async () => {
    const error = await rejection(
      drainCalls(voiceConnector(), { skip: [], nextPageUri: 'https://evil.example/2010-04-01/Accounts/x/Calls.json' }),
    );
    expect(isHmiError(error) && error.code).toBe('invalid_checkpoint');
    expect(fake.requests).toHaveLength(0);
  });

  it('getCall reads one call', async () => {
    const call = fake.state.seedCall({ from: '+966555123456', to: TRACKING });
    const record = await voiceConnector().actions.getCall({ sid: call.sid });
    expect(record).toMatchObject({ id: call.sid, contactId: 'patient-42', campaignId: 'cmp-ramadan-2026' });
  });
});

describe('the recordings stream and downloadRecording', () => {
  it('gives each completed recording as its call’s record with an opaque reference and the consent flag', async () => {
    const call = fake.state.seedCall({ from: PATIENT, to: TRACKING });
    const recording = fake.state.seedRecording({ call_sid: call.sid });
    fake.state.seedRecording({ call_sid: call.sid, status: 'processing' });
    const twilio = voiceConnector();
    const records: CallRecord[] = [];
    let checkpoint: RecordingsCheckpoint | undefined;
    for await (const page of twilio.streams.recordings.read({})) {
      records.push(...page.records);
      checkpoint = page.checkpoint;
    }
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: call.sid,
      recordingUrl: `twilio:recordings/${recording.sid}`,
      recordingConsent: true,
      contactId: 'patient-42',
    });
    expect(JSON.stringify(records)).not.toContain('Recordings/'); // never the media URL
    const again: CallRecord[] = [];
    for await (const page of twilio.streams.recordings.read({ checkpoint: checkpoint! })) again.push(...page.records);
    expect(again).toEqual([]);
  });

  it('streams media to a WritableStream and to a Node Writable with backpressure; no credentials to the storage origin', async () => {
    const bytes = new Uint8Array(200 * 1024).map((_, i) => i % 251);
    const recording = fake.state.seedRecording({}, bytes);
    const twilio = voiceConnector();

    const chunks: Uint8Array[] = [];
    const web = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
    const result = await twilio.downloadRecording(`twilio:recordings/${recording.sid}`, web);
    expect(result).toEqual({ bytes: bytes.length, contentType: 'audio/mpeg' });
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    expect(Math.max(...chunks.map((c) => c.byteLength))).toBeLessThan(bytes.length); // chunked, not one buffer

    let written = 0;
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        setImmediate(callback);
      },
    });
    const node = await twilio.downloadRecording(recording.sid, slow, { format: 'wav' });
    expect(node).toEqual({ bytes: bytes.length, contentType: 'audio/x-wav' });
    expect(written).toBe(bytes.length);
    expect(maxBuffered).toBeLessThanOrEqual(16 * 1024); // one chunk at a time
    expect(slow.writableFinished).toBe(true);
    expect(fake.state.mediaAuthorizations).toEqual([]);
  });

  it('refuses a file over maxBytes, a bad reference and a missing recording with typed errors', async () => {
    const recording = fake.state.seedRecording();
    const twilio = voiceConnector();
    const sink = new PassThrough();
    sink.resume();
    const big = await rejection(twilio.downloadRecording(recording.sid, sink, { maxBytes: 1000 }));
    expect(isHmiError(big) && big.code).toBe('response_too_large');
    const bad = await rejection(twilio.downloadRecording('https://evil.example/x.mp3', new PassThrough()));
    expect(isHmiError(bad) && bad.code).toBe('validation_error');
    const missing = await rejection(twilio.downloadRecording(`RE${'e'.repeat(32)}`, new PassThrough()));
    expect(isHmiError(missing) && missing.status).toBe(404);
  });
});
